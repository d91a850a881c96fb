import { expect, test } from '@playwright/test';
import {
  addToCart,
  fillAddress,
  listProducts,
  newEmail,
  placeOrderWithCard,
  TEST_CARDS,
  registerShopper,
  setStock,
  signInWithForm,
  snapshot,
} from './support';

test('order history lists the shopper’s orders, newest first; another shopper cannot open them', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const [product] = await listProducts();
  if (!product) throw new Error('the catalog is empty');
  await setStock(product.id, 10);
  const owner = newEmail('owner');
  const stranger = newEmail('stranger');
  await Promise.all([registerShopper(owner), registerShopper(stranger)]);

  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    await addToCart(page, product.id, 1);
    await page.goto('/checkout');
    if (i === 0) await signInWithForm(page, owner);
    await fillAddress(page);
    ids.push(await placeOrderWithCard(page, TEST_CARDS.pays));
  }

  await page.goto('/orders');
  const rows = page.getByTestId('order-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(ids[1]!);
  await expect(rows.nth(1)).toContainText(ids[0]!);
  await snapshot(page, testInfo, 'order-history');

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`/orders/${encodeURIComponent(ids[0]!)}`);
  await signInWithForm(otherPage, stranger);
  await expect(
    otherPage.getByRole('heading', { name: 'We could not find that order' }),
  ).toBeVisible();
  await expect(
    otherPage.getByText(ids[0]!, { exact: false }).and(otherPage.getByTestId('order-status')),
  ).toHaveCount(0);
  await other.close();
});
