import { expect, test, type Browser } from '@playwright/test';
import { PHONE, Shopper } from './shopper';
import { PASSWORD, listProducts, newEmail, registerShopper, setStock } from './support';

/** A signed-in shopper with the product in the cart, at checkout with an address typed. */
async function readyToOrder(browser: Browser, email: string, product: string) {
  const page = await browser.newPage({ viewport: PHONE });
  const shopper = await Shopper.atHome(page);
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
  const shipping = page.getByRole('region', { name: 'Shipping address' });
  await shipping.getByLabel('Full name').fill('Grace Hopper');
  await shipping.getByLabel('Address', { exact: true }).fill('1 Compiler Way');
  await shipping.getByLabel('City').fill('Arlington');
  await shipping.getByLabel('Postal code').fill('22201');
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

  // The offline card form pays with 4242 by default; both press Place order together.
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
  await Promise.all(pages.map((page) => page.close()));
});
