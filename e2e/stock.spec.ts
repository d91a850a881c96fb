/**
 * The product page's stock stays true although the page itself is prerendered and cached: an
 * operator's edit and a completed order each show on the shopper's next visit, within seconds.
 * The catalog grid's badges are cached: the admin's save and the backend's webhook (the order
 * events reach revalidateStorefront, which calls POST /api/revalidate) expire them.
 */
import { expect, test, type Page } from '@playwright/test';
import { STATUS_LABELS } from '../lib/order-status';
import { E2E_REVALIDATE_SECRET } from './revalidate-secret';
import { PHONE, Shopper } from './shopper';
import {
  ADMIN,
  PASSWORD,
  TEST_CARDS,
  listProducts,
  newEmail,
  registerShopper,
  setStock,
} from './support';

test.use({ viewport: PHONE });

const NAME = 'Field Compass';
// Pages navigated away from stay in the document, hidden (cache components keep them in an
// <Activity>): the stock assertions take only what is shown.

/**
 * From any page: Shop, search, open the product's page; `gridSays`: the stock badge its card
 * shows first in the (cached) catalog grid, both in the catalog's first view (prerendered; the
 * compass is on its first page) and in the search results.
 */
async function openProduct(shopper: Shopper, page: Page, gridSays?: string): Promise<void> {
  const card = page.getByRole('link', { name: new RegExp(NAME) }).filter({ visible: true });
  await shopper.click(page.getByRole('banner').getByRole('link', { name: 'Shop' }));
  if (gridSays) await expect(card).toContainText(gridSays);
  await page.getByLabel('Search products').fill('compass');
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  if (gridSays) await expect(card).toContainText(gridSays);
  await shopper.click(card);
  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeVisible();
}

test('an operator’s stock edit and a completed order show on the product page and the catalog grid within seconds', async ({
  browser,
}) => {
  const product = (await listProducts()).find((p) => p.name === NAME);
  if (!product) throw new Error(`the seeded catalog has no ${NAME}`);
  await setStock(product.id, 5);

  // The operator sees 5, sets 4 on the admin page, and the product page says 4.
  const operatorPage = await (await browser.newContext({ viewport: PHONE })).newPage();
  const operator = await Shopper.atHome(operatorPage, { audit: false });
  await openProduct(operator, operatorPage);
  await expect(operatorPage.getByText('Only 5 left').filter({ visible: true })).toBeVisible();
  const header = operatorPage.getByRole('banner');
  await operator.click(header.getByRole('link', { name: 'Sign in' }));
  await operatorPage.getByLabel('Email').fill(ADMIN.email);
  await operatorPage.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await operator.click(operatorPage.getByRole('button', { name: 'Sign in', exact: true }));
  await operator.click(header.getByRole('link', { name: 'Admin' }));
  const row = operatorPage.getByRole('row', { name: new RegExp(NAME) });
  await row.getByLabel(`Stock of ${NAME}`).fill('4');
  await operator.click(row.getByRole('button', { name: `Save stock of ${NAME}` }));
  await expect(
    operatorPage.getByRole('status').filter({ hasText: `${NAME}: stock is now 4` }),
  ).toBeVisible();
  await openProduct(operator, operatorPage);
  await expect(operatorPage.getByText('Only 4 left').filter({ visible: true })).toBeVisible();

  // A shopper buys one; once the order is completed the product page says 3.
  const email = newEmail('stock');
  await registerShopper(email);
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  const shopper = await Shopper.atHome(page, { audit: false });
  // The grid's cached catalog may predate the test's edits: the admin's save expired it.
  await openProduct(shopper, page, 'Only 4 left');
  await expect(page.getByText('Only 4 left').filter({ visible: true })).toBeVisible();
  await shopper.click(page.getByRole('button', { name: 'Add to cart' }));
  await shopper.click(page.getByRole('banner').getByRole('link', { name: /^Cart/ }));
  await shopper.click(page.getByRole('link', { name: 'Check out' }));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await shopper.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await shopper.typeAddress('Grace Hopper');
  await shopper.payWith(TEST_CARDS.pays);
  await expect(
    page.getByRole('status').filter({ hasText: `Order status: ${STATUS_LABELS.COMPLETED}` }),
  ).toBeVisible({ timeout: 120_000 });
  // The grid's cached catalog was read before the order (4, or the seeded stock when it was
  // cached before this test's edits): it says 3 only once the backend has told the storefront.
  await openProduct(shopper, page, 'Only 3 left');
  await expect(page.getByText('Only 3 left').filter({ visible: true })).toBeVisible();

  // The operator, who saw 4, sees 3 on the next visit too.
  await openProduct(operator, operatorPage, 'Only 3 left');
  await expect(operatorPage.getByText('Only 3 left').filter({ visible: true })).toBeVisible();
  await Promise.all([page.context().close(), operatorPage.context().close()]);
});

test('a tab that showed the catalog grid shows a stock change the storefront was told of on a visit 30 seconds later', async ({
  page,
}) => {
  const name = 'Brass Ballpoint Pen';
  const product = (await listProducts()).find((p) => p.name === name);
  if (!product) throw new Error(`the seeded catalog has no ${name}`);
  const tellStorefront = async () => {
    // What the backend's webhook does once an order or an operator moved the stock.
    const told = await page.request.post('/api/revalidate', {
      headers: { authorization: `Bearer ${E2E_REVALIDATE_SECRET}` },
      data: { productIds: [product.id] },
    });
    expect(told.status()).toBe(200);
  };
  await setStock(product.id, 5);
  await tellStorefront();
  try {
    // The router keeps a page it has shown for as long as the catalog's cache profile allows
    // (`stale`, next.config.ts); the tab's clock is moved instead of waiting that long.
    await page.clock.install();
    const shopper = await Shopper.atHome(page, { audit: false });
    const shop = page.getByRole('banner').getByRole('link', { name: 'Shop' });
    const card = page.getByRole('link', { name: new RegExp(name) }).filter({ visible: true });
    await shopper.click(shop);
    await expect(card).toContainText('Only 5 left');
    await shopper.click(card);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

    await setStock(product.id, 2);
    await tellStorefront();
    await page.clock.fastForward('00:31');
    await shopper.click(shop);
    await expect(card).toContainText('Only 2 left');
  } finally {
    // The seeded stock again, also when an expectation above failed: a run against a kept
    // backend (`E2E_LOCAL_PORT_BASE`) should not find the pen at 2 next time.
    await setStock(product.id, product.stock);
    await tellStorefront();
  }
});

test('the stock route answers a product’s stock and refuses what is not a product id', async ({
  request,
}) => {
  const product = (await listProducts()).find((p) => p.name === NAME);
  if (!product) throw new Error(`the seeded catalog has no ${NAME}`);
  const answer = await request.get(`/api/products/${product.id}/stock`);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['cache-control']).toContain('no-store');
  expect(await answer.json()).toEqual({
    productId: product.id,
    stock: product.stock,
    active: true,
  });

  const refusals: [string, string, number][] = [
    ['an unknown product', 'prod-no-such-thing', 404],
    ['an encoded path', encodeURIComponent('../../etc/passwd'), 400],
    ['a quote and a GraphQL fragment', encodeURIComponent('x") { id } y: getProduct(id: "z'), 400],
    ['an id of 129 characters', 'a'.repeat(129), 400],
    ['an id of 8 KB', 'a'.repeat(8000), 400],
    ['a NUL byte', '%00', 400],
  ];
  for (const [what, id, status] of refusals) {
    const refused = await request.get(`/api/products/${id}/stock`);
    expect(refused.status(), what).toBe(status);
    expect((await refused.json()) as unknown, what).toHaveProperty('error');
  }
  expect((await request.post(`/api/products/${product.id}/stock`)).status()).toBe(405);
  // The stock is unchanged and the shop still serves the product after all of it.
  expect(
    (await (await request.get(`/api/products/${product.id}/stock`)).json()) as unknown,
  ).toEqual(await answer.json());
  expect((await request.get(`/products/${product.id}`)).status()).toBe(200);
});
