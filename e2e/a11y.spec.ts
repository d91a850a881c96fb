import { expect, test } from '@playwright/test';
import { PHONE, Shopper } from './shopper';

test.use({ viewport: PHONE });

// Every page a journey reaches is checked with axe once (see Shopper.pageIsSettled); these are the
// pages no journey reaches by clicking: an address that leads nowhere.
test('a mistyped product address says so and leads back to the shop', async ({ page }) => {
  const shopper = await Shopper.startAt(page, '/products/no-such-product');
  await expect(
    page.getByRole('heading', { level: 1, name: 'We could not find that page' }),
  ).toBeVisible();
  await shopper.click(page.getByRole('main').getByRole('link').first());
  await expect(page).not.toHaveURL(/no-such-product/);
});
