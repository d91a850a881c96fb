import { expect, test } from '@playwright/test';
import { ADMIN, listProducts, setStock, signInWithForm, snapshot } from './support';

test('an admin restocks a product and the catalog shows it', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const [product] = await listProducts();
  if (!product) throw new Error('the catalog is empty');
  await setStock(product.id, 0);

  await page.goto(`/products/${encodeURIComponent(product.id)}`);
  await expect(page.getByText('This product is sold out')).toBeVisible();

  await page.goto('/admin');
  await signInWithForm(page, ADMIN.email, ADMIN.password);
  const row = page.locator(`[data-testid="inventory-row"][data-product-id="${product.id}"]`);
  await expect(row.getByTestId('stock-value')).toHaveText('0');
  await row.getByLabel(`Units to add to ${product.name}`).fill('7');
  await row.getByRole('button', { name: `Restock ${product.name}` }).click();
  await expect(page.getByTestId('inventory-status')).toContainText(
    `${product.name}: stock is now 7`,
  );
  await expect(
    page
      .locator('[data-testid="admin-order-row"]')
      .or(page.getByRole('heading', { name: 'Orders' })),
  ).not.toHaveCount(0);
  await snapshot(page, testInfo, 'admin');

  await page.goto(`/products/${encodeURIComponent(product.id)}`);
  await expect(page.getByText(/In stock|Only 7 left/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeEnabled();
});

test('a shopper who is not an admin is kept out of /admin', async ({ page }) => {
  const { newEmail, registerShopper } = await import('./support');
  const email = newEmail('nosy');
  await registerShopper(email);
  await page.goto('/admin');
  await signInWithForm(page, email);
  await expect(page.getByText('This page is for store operators')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});
