/**
 * A new shopper, from the home page, clicking and typing only what a person sees, at 390 px.
 * The journeys run in order and share one browser tab: the account made in the first one stays
 * signed in for the next, which begin where the shopper left off.
 */
import { expect, test, type Page } from '@playwright/test';
import { extractText } from 'unpdf';
import { HAPPY_PATH, STATUS_LABELS } from '../lib/order-status';
import { PHONE, Shopper } from './shopper';
import { fetchMailbox, findCode } from '../lib/mailbox';
import { PASSWORD, TEST_CARDS, newEmail, outputs, slowDownNextRun, waitForMail } from './support';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shopper: Shopper;
const email = newEmail('journey');
const state: { orderNumber?: string; total?: string } = {};

test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext({ viewport: PHONE })).newPage();
});
test.afterAll(async () => {
  await page.context().close();
});

const header = () => page.getByRole('banner');
const cartLink = () => header().getByRole('link', { name: /^Cart/ });

/** From any page: Shop, search, open a product and add it to the cart. */
async function addFromSearch(search: string, name: string, quantity = 1): Promise<void> {
  await shopper.click(header().getByRole('link', { name: 'Shop' }));
  await page.getByLabel('Search products').fill(search);
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  await shopper.click(page.getByRole('link', { name: new RegExp(name) }));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByLabel('Quantity').fill(String(quantity));
  await shopper.click(page.getByRole('button', { name: 'Add to cart' }));
  await expect(
    page.getByRole('status').filter({ hasText: `Added ${quantity} × ${name}` }),
  ).toBeVisible();
}

/** The statuses the order page shows, read until it says `last`; it must not reload meanwhile. */
async function watchStatusUntil(last: string): Promise<string[]> {
  let loads = 0;
  const onLoad = () => loads++;
  page.on('load', onLoad);
  const badge = page.getByRole('status').filter({ hasText: /^Order status:/ });
  const seen: string[] = [];
  await expect
    .poll(
      async () => {
        const text = ((await badge.allTextContents())[0] ?? '').replace(/^Order status: /, '');
        const label = text.split(' at ')[0] ?? '';
        if (label && seen.at(-1) !== label) seen.push(label);
        return label;
      },
      { timeout: 120_000, intervals: [100] },
    )
    .toBe(last);
  page.off('load', onLoad);
  expect(loads, 'the order page reloaded instead of updating live').toBe(0);
  return seen;
}

const summaryTotal = async (region: string): Promise<string> => {
  const text = (await page.getByRole('complementary', { name: region }).innerText()) ?? '';
  const total = /\bTotal\s+(\$[\d,]+\.\d\d)/.exec(text)?.[1];
  if (!total) throw new Error(`no total in ${region}: ${text}`);
  return total;
};

test('a guest searches, sorts, opens a product and fills a cart that checks stock once', async () => {
  shopper = await Shopper.atHome(page);
  await shopper.click(header().getByRole('link', { name: 'Shop' }));
  await page.getByLabel('Search products').fill('mug');
  await page.getByLabel('Sort by').selectOption({ label: 'Price: high to low' });
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  const results = page.getByRole('list', { name: /products|results/i }).getByRole('heading');
  await expect(results).toHaveText(['Stoneware Mug', 'Enamel Camp Mug']);
  await page.getByLabel('Sort by').selectOption({ label: 'Price: low to high' });
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  await expect(results).toHaveText(['Enamel Camp Mug', 'Stoneware Mug']);

  await shopper.click(page.getByRole('link', { name: /Enamel Camp Mug/ }));
  await expect(page.getByRole('heading', { level: 1, name: 'Enamel Camp Mug' })).toBeVisible();
  await shopper.click(page.getByRole('button', { name: 'Add to cart' }));
  await expect(cartLink()).toHaveAccessibleName(/Cart\s*1\s*item$/);
  // The breadcrumb lists the product's category, without the search typed before in the box.
  await shopper.click(
    page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Outdoors', exact: true }),
  );
  await expect(page.getByRole('heading', { level: 1, name: 'Outdoors' })).toBeVisible();
  await expect(page.getByLabel('Search products')).toHaveValue('');
  await addFromSearch('compass', 'Field Compass');
  await expect(cartLink()).toHaveAccessibleName(/Cart\s*2\s*items$/);

  // The cart: quantities change, each change checked once; then the page stays quiet.
  await shopper.click(cartLink());
  await expect(page.getByRole('heading', { level: 1, name: 'Your cart' })).toBeVisible();
  await shopper.click(page.getByRole('button', { name: 'One more Enamel Camp Mug' }));
  await expect(page.getByLabel('Quantity of Enamel Camp Mug')).toHaveText('2');
  await shopper.click(page.getByRole('button', { name: 'One fewer Enamel Camp Mug' }));
  await expect(page.getByLabel('Quantity of Enamel Camp Mug')).toHaveText('1');
  await shopper.pageIsSettled();
  await shopper.snapshot('cart');

  // Links from the cart work at once.
  await shopper.click(page.getByRole('link', { name: 'Keep shopping' }));
  await expect(page.getByRole('heading', { level: 1, name: /products|shop/i })).toBeVisible();
  await shopper.click(cartLink());
  await shopper.click(page.getByRole('link', { name: 'Check out' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
});

test('creates an account with the code from the local mailbox, without a second code', async () => {
  await expect(page.getByText('Sign in or create an account to check out')).toBeVisible();
  await shopper.click(page.getByRole('tab', { name: /create account/i }));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel(/confirm password/i).fill(PASSWORD);
  await shopper.click(page.getByRole('button', { name: /create account/i }));
  await expect(page.getByRole('heading', { name: 'We emailed you' })).toBeVisible();

  // Offline, the step says where the code goes and opens the mailbox beside it.
  const mailbox = await shopper.click(
    page.getByRole('link', { name: /local mailbox \(opens in a new tab\)/ }),
    { opensTab: true },
  );
  if (!mailbox) throw new Error('the mailbox did not open in a new tab');
  await mailbox.waitForLoadState();
  await expect(mailbox.getByRole('heading', { name: 'Local mailbox' })).toBeVisible();
  const newest = mailbox.getByRole('listitem').filter({ hasText: email }).first();
  await newest.click();
  const code = /\b(\d{6})\b/.exec(await newest.innerText())?.[1];
  expect(code, 'a six-digit code in the newest mail').toBeTruthy();
  await mailbox.close();

  // Following the header's Mailbox link in this tab and coming back resumes the step.
  await shopper.click(header().getByRole('link', { name: 'Mailbox' }));
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'We emailed you' })).toBeVisible();
  await expect(page.getByText(`enter the code we emailed to ${email}`)).toBeVisible();
  await page.getByLabel('Confirmation Code').fill(code!);
  await shopper.click(page.getByRole('button', { name: 'Confirm' }));
  await expect(page.getByText('Your email is confirmed')).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await shopper.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await expect(page.getByRole('button', { name: 'Place order' })).toBeVisible();

  const codes = (await fetchMailbox(outputs().custom!.local!.mailbox!, email)).filter(
    (m) => findCode(m) !== null,
  );
  expect(codes, 'one code mailed, not a second on the way back').toHaveLength(1);
});

test('pays by card and watches the order reach Completed live', async () => {
  await shopper.typeAddress();
  await shopper.snapshot('checkout');
  // Shipping takes 5 s this time: the saga's other steps finish before the order page has drawn.
  await slowDownNextRun('createShipment', 5_000);
  await shopper.payWith(TEST_CARDS.pays);
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  state.orderNumber = /Order ([0-9A-F]{8})/.exec(heading ?? '')?.[1];
  expect(state.orderNumber).toBeTruthy();
  // Watched from the moment the order page shows, while its settling is checked: the local saga
  // can finish within the settle window, and a watch started after it would see only Completed.
  const [seen] = await Promise.all([
    watchStatusUntil(STATUS_LABELS.COMPLETED),
    shopper.pageIsSettled(),
  ]);
  expect(seen.length, `statuses seen live: ${seen.join(' → ')}`).toBeGreaterThan(1);
  const progress = page.getByRole('region', { name: 'Progress' });
  for (const status of HAPPY_PATH)
    await expect(progress.getByText(STATUS_LABELS[status])).toBeVisible();
  await expect(progress.getByText('(not yet)')).toHaveCount(0);
  await expect(page.getByText(/tracking number/)).toBeVisible();
  // A placed order is no cart: no free-shipping hint on it.
  await expect(page.getByText(/Free shipping from/)).toHaveCount(0);
  state.total = await summaryTotal('Summary');
  await shopper.snapshot('order-completed');
});

test('downloads the receipt and reads the order number and total in the PDF', async () => {
  const opened = page.context().waitForEvent('page');
  await shopper.click(page.getByRole('button', { name: 'Download receipt (PDF)' }));
  await (await opened).close();
  const href = await page.getByRole('link', { name: 'Open your receipt' }).getAttribute('href');
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  const { text } = await extractText(new Uint8Array(await pdf.body()), { mergePages: true });
  expect(text).toContain(`Order number: ${state.orderNumber}`);
  expect(text).toContain(state.total!);
});

test('finds the order in the history and its emails in the mailbox', async () => {
  await shopper.click(header().getByRole('link', { name: 'Orders' }));
  const orders = page.getByRole('list', { name: 'Your orders' }).getByRole('listitem');
  await expect(orders).toHaveCount(1);
  await expect(orders.first()).toContainText(`Order ${state.orderNumber}`);
  await expect(orders.first()).toContainText('Enamel Camp Mug, Field Compass');
  await expect(orders.first()).toContainText(state.total!);
  await expect(page.getByText('Page 1')).toHaveCount(0);
  await shopper.snapshot('history');

  await shopper.click(header().getByRole('link', { name: 'Mailbox' }));
  await page.getByLabel('Recipient').fill(email);
  await shopper.click(page.getByRole('button', { name: 'Filter' }));
  await expect(page.getByText(`order ${state.orderNumber} is confirmed`)).toBeVisible();
  await expect(page.getByText(`order ${state.orderNumber} has shipped`)).toBeVisible();

  await shopper.click(page.getByText(`order ${state.orderNumber} is confirmed`));
  await expect(page.getByText(`Total: ${state.total}`)).toBeVisible();
  await shopper.click(header().getByRole('link', { name: 'Orders' }));
  await shopper.click(page.getByRole('link', { name: new RegExp(`Order ${state.orderNumber}`) }));
  await expect(
    page.getByRole('heading', { level: 1, name: `Order ${state.orderNumber}` }),
  ).toBeVisible();
});

test('a declined card: a plain reason, stock back, and "Try another card" returns to checkout with the cart', async () => {
  await addFromSearch('clock', 'Oak Wall Clock', 2);
  await shopper.click(cartLink());
  const stockLine = page.getByText(/\d+ in stock/);
  const stockBefore = await stockLine.textContent();
  await shopper.click(page.getByRole('link', { name: 'Check out' }));
  await shopper.typeAddress();
  await shopper.payWith(TEST_CARDS.declined);
  await shopper.pageIsSettled();
  await watchStatusUntil(STATUS_LABELS.FAILED);

  const failure = page.getByRole('alert').filter({ hasText: 'This order did not go through' });
  await expect(failure).toContainText('Your card was declined. You have not been charged.');
  // Operators' words stay with operators.
  await expect(page.getByText(/Error\b|Stripe|generic_decline|decline_code/)).toHaveCount(0);
  await shopper.snapshot('order-declined');

  await shopper.click(failure.getByRole('link', { name: 'Try another card' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  const review = page.getByRole('complementary', { name: 'Your order' });
  await expect(review).toContainText('Oak Wall Clock × 2');
  const shipping = page.getByRole('region', { name: 'Shipping address' });
  await expect(shipping.getByLabel('Full name')).toHaveValue('Ada Lovelace');
  await expect(shipping.getByLabel('City')).toHaveValue('London');
  await shopper.snapshot('checkout-after-decline');

  // The failed order held nothing: the cart shows the stock as it was before it.
  await shopper.click(cartLink());
  await expect(page.getByLabel('Quantity of Oak Wall Clock')).toHaveText('2');
  await expect(page.getByText(/\d+ in stock/)).toHaveText(stockBefore!);

  await shopper.click(page.getByRole('link', { name: 'Check out' }));
  await shopper.typeAddress();
  await shopper.payWith(TEST_CARDS.pays);
  await watchStatusUntil(STATUS_LABELS.COMPLETED);
  await waitForMail(email, (m) => /could not complete/i.test(m.subject));
});

test('signs out', async () => {
  await shopper.click(header().getByRole('button', { name: 'Sign out' }));
  await expect(header().getByRole('link', { name: 'Sign in' })).toBeVisible();
});
