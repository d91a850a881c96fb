import { expect, test } from '@playwright/test';

test.describe('Storefront smoke', () => {
  test('the home page renders with its title and navigation', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle(/Saga Supply/);
    await expect(page.getByRole('heading', { level: 1, name: 'Saga Supply' })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop' }),
    ).toBeVisible();
    await expect(page.getByRole('link', { name: /^Cart\s*\d+\s*items?$/ })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('home.png'), fullPage: true });
  });
});
