import { expect, test } from '@playwright/test';
import { PHONE, Shopper } from './shopper';
import { ADMIN, PASSWORD, listProducts, newEmail, registerShopper, setStock } from './support';

test.use({ viewport: PHONE });

test('an operator signs in, restocks a sold-out product and the shop sells it again', async ({
  page,
}) => {
  const product = (await listProducts()).find((p) => p.name === 'Two-Person Tent');
  if (!product) throw new Error('the seeded catalog has no Two-Person Tent');
  await setStock(product.id, 0);

  const operator = await Shopper.atHome(page);
  const header = page.getByRole('banner');
  const findTent = async () => {
    await operator.click(header.getByRole('link', { name: 'Shop' }));
    await page.getByLabel('Search products').fill('tent');
    await operator.click(page.getByRole('button', { name: 'Apply' }));
    await operator.click(page.getByRole('link', { name: /Two-Person Tent/ }));
  };
  await findTent();
  // Pages navigated away from stay in the document, hidden: only what is shown counts.
  await expect(page.getByText('This product is sold out').filter({ visible: true })).toBeVisible();

  await operator.click(header.getByRole('link', { name: 'Sign in' }));
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await operator.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await operator.click(header.getByRole('link', { name: 'Admin' }));
  await expect(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
  const row = page.getByRole('row', { name: /Two-Person Tent/ });
  await expect(row.getByRole('cell', { name: '0', exact: true })).toBeVisible();
  await row.getByLabel('Units to add to Two-Person Tent').fill('7');
  await operator.click(row.getByRole('button', { name: 'Restock Two-Person Tent' }));
  await expect(
    page.getByRole('status').filter({ hasText: 'Two-Person Tent: stock is now 7' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Orders' })).toBeVisible();
  await operator.pageIsSettled();
  await operator.snapshot('admin');

  await findTent();
  await expect(page.getByText('In stock').filter({ visible: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeEnabled();
});

test('a shopper who opens the admin page is told it is for operators', async ({ page }) => {
  const email = newEmail('nosy');
  await registerShopper(email);
  // The first page of this journey is the address a curious shopper types.
  const nosy = await Shopper.startAt(page, '/admin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await nosy.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await expect(page.getByText('This page is for store operators')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Admin' })).toHaveCount(0);
});
