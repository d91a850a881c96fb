/**
 * The cart while its stock check is out: an added product counts once at once, in the header and
 * in the form, not only once the server has answered.
 */
import { expect, test } from '@playwright/test';
import { PHONE, Shopper } from './shopper';

test.use({ viewport: PHONE });

test('a product added while the stock check is slow counts once in the cart from the click on', async ({
  page,
}) => {
  const name = 'Stoneware Mug';
  // Server actions are POSTs with a Next-Action header: the stock check is held until released.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let checks = 0;
  await page.route('**/*', async (route) => {
    const request = route.request();
    if (request.method() === 'POST' && (await request.headerValue('next-action'))) {
      checks++;
      await held;
    }
    await route.fallback();
  });

  // The page is the journeys' own, already checked with axe there.
  const shopper = await Shopper.atHome(page, { audit: false });
  const header = page.getByRole('banner');
  const cart = header.getByRole('link', { name: /^Cart/ });
  await shopper.click(header.getByRole('link', { name: 'Shop' }));
  await page.getByLabel('Search products').fill('stoneware');
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  await shopper.click(page.getByRole('link', { name: new RegExp(name) }));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(cart).toHaveAccessibleName(/Cart\s*0\s*items$/);

  await shopper.click(page.getByRole('button', { name: 'Add to cart' }));
  await expect.poll(() => checks).toBe(1);
  await expect(cart).toHaveAccessibleName(/Cart\s*1\s*item$/);
  await expect(page.getByText(/\(1 already in your cart\)/)).toBeVisible();

  release();
  await expect(page.getByRole('link', { name: 'View cart' })).toBeVisible();
  await expect(cart).toHaveAccessibleName(/Cart\s*1\s*item$/);
  await shopper.click(page.getByRole('link', { name: 'View cart' }));
  await expect(page.getByLabel(`Quantity of ${name}`)).toHaveText('1');
});
