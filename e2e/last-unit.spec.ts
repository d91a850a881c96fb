import { expect, test, type Browser } from '@playwright/test';
import { PHONE, Shopper } from './shopper';
import { PASSWORD, TEST_CARDS, listProducts, newEmail, registerShopper, setStock } from './support';

/** A signed-in shopper with the product in the cart, at checkout with an address typed. */
async function readyToOrder(browser: Browser, email: string, product: string) {
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  // The pages are the journeys' own, already checked with axe there.
  const shopper = await Shopper.atHome(page, { audit: false });
  const header = page.getByRole('banner');
  await shopper.click(header.getByRole('link', { name: 'Shop' }));
  await page.getByLabel('Search products').fill(product);
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  await shopper.click(page.getByRole('link', { name: new RegExp(product) }));
  await shopper.click(page.getByRole('button', { name: 'Add to cart' }));
  await shopper.click(header.getByRole('link', { name: /^Cart/ }));
  await shopper.click(page.getByRole('link', { name: 'Check out' }));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await shopper.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await shopper.typeAddress('Grace Hopper');
  const card = page.getByRole('group', { name: 'Card' });
  await card.getByLabel('Card number').fill(TEST_CARDS.pays);
  await card.getByLabel('Expiration date').fill('12 / 34');
  await card.getByLabel('Security code').fill('123');
  await card.getByLabel('Postal code').fill('N1 9GU');
  return page;
}

test('the last unit, bought by two shoppers at once: one gets it, the other is told it sold out', async ({
  browser,
}) => {
  const product = (await listProducts()).find((p) => p.name === 'Watercolour Sketchbook');
  if (!product) throw new Error('the seeded catalog has no Watercolour Sketchbook');
  await setStock(product.id, 1);
  const shoppers = [newEmail('first'), newEmail('second')];
  await Promise.all(shoppers.map((email) => registerShopper(email)));
  const pages = await Promise.all(
    shoppers.map((email) => readyToOrder(browser, email, product.name)),
  );

  // Both press Place order together.
  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Place order' }).click()));

  const outcomes = await Promise.all(
    pages.map(async (page) => {
      const soldOut = page.getByText(/sold out/i).first();
      const completed = page.getByRole('status').filter({ hasText: 'Order status: Completed' });
      await expect(soldOut.or(completed)).toBeVisible({ timeout: 90_000 });
      return (await completed.count()) > 0 ? 'completed' : 'sold-out';
    }),
  );
  expect(outcomes.sort()).toEqual(['completed', 'sold-out']);
  const after = (await listProducts()).find((p) => p.id === product.id);
  expect(after?.stock).toBe(0);
  await Promise.all(pages.map((page) => page.context().close()));
});
