import { expect, test } from '@playwright/test';
import {
  ADMIN,
  addToCart,
  expectAccessible,
  listProducts,
  newEmail,
  registerShopper,
  setStock,
  signInWithForm,
  snapshot,
} from './support';

test.describe('Accessibility: no serious or critical axe violations', () => {
  test('public pages', async ({ page }, testInfo) => {
    const [product] = await listProducts();
    if (!product) throw new Error('the catalog is empty');
    await setStock(product.id, 10);
    const pages: [string, string][] = [
      ['home', '/'],
      ['catalog', '/products'],
      ['catalog-search', '/products?q=a&sort=price-asc'],
      ['product', `/products/${encodeURIComponent(product.id)}`],
      ['not-found', '/products/no-such-product'],
      ['cart-empty', '/cart'],
      ['mailbox', '/mailbox'],
      ['sign-in', '/sign-in'],
      ['checkout-signed-out', '/checkout'],
    ];
    for (const [name, url] of pages) {
      await page.goto(url);
      await expect(page.locator('main')).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, testInfo, name);
      await snapshot(page, testInfo, name);
    }
    await addToCart(page, product.id, 1);
    await page.goto('/cart');
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    await expectAccessible(page, testInfo, 'cart');
  });

  test('signed-in pages', async ({ page }, testInfo) => {
    const email = newEmail('a11y');
    await registerShopper(email);
    const [product] = await listProducts();
    await setStock(product!.id, 10);
    await addToCart(page, product!.id, 1);
    await page.goto('/checkout');
    await signInWithForm(page, email);
    await expect(page.getByRole('button', { name: 'Place order' })).toBeVisible();
    await expectAccessible(page, testInfo, 'checkout');
    await page.goto('/orders');
    await expect(page.getByText('You have no orders yet.')).toBeVisible();
    await expectAccessible(page, testInfo, 'orders');
    await page.goto('/orders/not-an-order');
    await expect(page.getByRole('heading', { name: 'We could not find that order' })).toBeVisible();
    await expectAccessible(page, testInfo, 'order-missing');
  });

  test('admin page', async ({ page }, testInfo) => {
    await page.goto('/admin');
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await expect(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
    await expect(page.getByTestId('inventory-row').first()).toBeVisible();
    await expectAccessible(page, testInfo, 'admin');
    await snapshot(page, testInfo, 'admin');
  });
});
