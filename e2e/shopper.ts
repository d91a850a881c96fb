/**
 * A shopper in a browser: starts at the home page and then only clicks and types what a person
 * sees. Two guards run on every page the shopper reaches: a click must change something, and an
 * idle page must stop sending requests to the storefront (a page that re-renders itself into
 * server actions, as /cart once did, fails here instead of in a shopper's hands).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, outputs } from './support';

/** A phone's width: every journey runs at it, and every page must fit it. */
export const PHONE = { width: 390, height: 844 };

/** How long a page gets to settle, and how quiet it must then stay. */
const SETTLE_MS = 10_000;
const QUIET_WINDOW_MS = 1_000;
const MAX_REQUESTS_WHILE_IDLE = 2;

export class Shopper {
  private readonly sent: { at: number; url: string }[] = [];
  private readonly storefront: string;
  /** Pages already checked with axe, by route (ids replaced). */
  private readonly audited = new Set<string>();

  private constructor(
    readonly page: Page,
    baseURL: string,
    /** Whether each new kind of page is checked with axe (once per shopper). */
    private readonly audit: boolean,
  ) {
    this.storefront = new URL(baseURL).origin;
    const graphql = outputs().data.url;
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith(this.storefront) || url === graphql)
        this.sent.push({ at: Date.now(), url: `${request.method()} ${url}` });
    });
  }

  /** Opens the home page: the only address a journey ever types. */
  static async atHome(page: Page, options: { audit?: boolean } = {}): Promise<Shopper> {
    const shopper = await Shopper.startAt(page, '/', options);
    await expect(page.getByRole('heading', { level: 1, name: 'Saga Supply' })).toBeVisible();
    return shopper;
  }

  /** Opens a journey's first page (an address a shopper would type or follow from an email). */
  static async startAt(
    page: Page,
    path: string,
    { audit = true }: { audit?: boolean } = {},
  ): Promise<Shopper> {
    const baseURL = test.info().project.use.baseURL;
    if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
    const shopper = new Shopper(page, baseURL, audit);
    await page.goto(path);
    await shopper.pageIsSettled();
    return shopper;
  }

  /**
   * Clicks what the shopper sees and fails unless the page changed (address or visible text). A
   * new address is a new page view: it must fit a phone and fall quiet.
   */
  async click(target: Locator, options: { opensTab?: boolean } = {}): Promise<Page | null> {
    let before = await this.view();
    while (!before) {
      await this.page.waitForLoadState('domcontentloaded');
      before = await this.view();
    }
    const popup = options.opensTab ? this.page.context().waitForEvent('page') : null;
    await target.click();
    if (popup) return popup;
    await expect
      .poll(
        async () => {
          const now = await this.view();
          return now !== null && JSON.stringify(now) !== JSON.stringify(before);
        },
        {
          message: `clicking ${target.toString()} changed nothing on ${before.url}`,
          timeout: 20_000,
        },
      )
      .toBe(true);
    if (this.page.url() !== before.url) await this.pageIsSettled();
    return null;
  }

  /** The page view's guards: it fits 390 px, and once loaded it stops sending requests. */
  async pageIsSettled(): Promise<void> {
    await this.page.waitForLoadState('load');
    const overflow = await this.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${this.page.url()} is wider than the screen`).toBeLessThanOrEqual(0);
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const start = this.sent.length;
      await this.page.waitForTimeout(QUIET_WINDOW_MS);
      const during = this.sent.slice(start);
      if (during.length <= MAX_REQUESTS_WHILE_IDLE) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.page.url()} keeps sending requests while nobody touches it ` +
            `(${during.length} in ${QUIET_WINDOW_MS} ms):\n${during
              .slice(0, 10)
              .map((r) => r.url)
              .join('\n')}`,
        );
      }
    }
    // Each kind of page once: no serious or critical axe violation.
    const url = new URL(this.page.url());
    const route = url.pathname.replace(/\/(orders|products)\/[^/]+$/, '/$1/:id');
    if (this.audit && !this.audited.has(route)) {
      this.audited.add(route);
      await expectAccessible(this.page, test.info(), route);
    }
  }

  /** The shipping address, typed in the checkout form. */
  async typeAddress(name = 'Ada Lovelace'): Promise<void> {
    const shipping = this.page.getByRole('region', { name: 'Shipping address' });
    await shipping.getByLabel('Full name').fill(name);
    await shipping.getByLabel('Address', { exact: true }).fill('12 Analytical Row');
    await shipping.getByLabel('City').fill('London');
    await shipping.getByLabel('Postal code').fill('N1 9GU');
    await shipping.getByLabel('Country').selectOption({ label: 'United Kingdom' });
  }

  /** Types a card number (one of Stripe's test cards) and places the order: on the order page after. */
  async payWith(cardNumber: string): Promise<void> {
    const card = this.page.getByRole('group', { name: 'Card' });
    await card.getByLabel('Card number').fill(cardNumber);
    await card.getByLabel('Expiration date').fill('12 / 34');
    await card.getByLabel('Security code').fill('123');
    await card.getByLabel('Postal code').fill('N1 9GU');
    await this.click(this.page.getByRole('button', { name: 'Place order' }));
    await expect(
      this.page.getByRole('heading', { level: 1, name: /^Order [0-9A-F]{8}$/ }),
    ).toBeVisible();
  }

  /** A full-page screenshot with the running test's results. */
  async snapshot(name: string): Promise<void> {
    const info = test.info();
    const file = info.outputPath(`${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    await info.attach(name, { path: file, contentType: 'image/png' });
  }

  /** What the shopper sees: null while the document is being replaced (a form's GET, a load). */
  private async view(): Promise<{ url: string; text: string } | null> {
    try {
      const text = await this.page.evaluate(() => document.body?.innerText ?? null);
      return text === null ? null : { url: this.page.url(), text };
    } catch {
      return null;
    }
  }
}
