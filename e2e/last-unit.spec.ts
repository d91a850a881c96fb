import { expect, test } from '@playwright/test';
import {
  addToCart,
  fillAddress,
  listProducts,
  newEmail,
  registerShopper,
  setStock,
  signInWithForm,
} from './support';

test('the last unit, bought by two shoppers at once: one gets it, the other is told it sold out', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const products = await listProducts();
  const product = products.at(-1);
  if (!product) throw new Error('the catalog is empty');
  await setStock(product.id, 1);
  const shoppers = [newEmail('first'), newEmail('second')];
  await Promise.all(shoppers.map((email) => registerShopper(email)));

  const pages = await Promise.all(
    shoppers.map(async (email) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await addToCart(page, product.id, 1);
      await page.goto('/checkout');
      await signInWithForm(page, email);
      await fillAddress(page);
      return page;
    }),
  );

  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Place order' }).click()));

  // Each shopper ends either on a completed order or with an out-of-stock explanation.
  const outcomes = await Promise.all(
    pages.map(async (page) => {
      const soldOut = page.getByText(/sold out/i).first();
      const completed = page.locator('[data-testid="order-status"][data-status="COMPLETED"]');
      await expect(soldOut.or(completed)).toBeVisible({ timeout: 90_000 });
      return (await completed.isVisible()) ? 'completed' : 'sold-out';
    }),
  );
  expect(outcomes.sort()).toEqual(['completed', 'sold-out']);
  const after = (await listProducts()).find((p) => p.id === product.id);
  expect(after?.stock).toBe(0);
  await Promise.all(pages.map((page) => page.context().close()));
});
