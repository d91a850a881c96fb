/**
 * A guest's page starts with what it shows and what the shopper is likely to open next (products,
 * the shop), not with the account pages' code: their links are prefetched once the shopper points
 * at one (components/ui/intent-link.tsx), and still open at once when clicked.
 */
import { expect, test } from '@playwright/test';
import { Shopper } from './shopper';

test('the home page fetches nothing of the orders page until the shopper points at its link', async ({
  page,
}) => {
  const ordersRequests: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname === '/orders' || pathname.startsWith('/orders/')) ordersRequests.push(pathname);
  });
  const shopper = await Shopper.atHome(page, { audit: false });
  const orders = page.getByRole('banner').getByRole('link', { name: 'Orders' });
  await expect(orders).toBeVisible();
  // The product cards in view are prefetched meanwhile; by the time the network is quiet, a
  // viewport prefetch of the orders link would have been made too.
  await page.waitForLoadState('networkidle');
  expect(ordersRequests).toEqual([]);

  await orders.hover();
  // `next dev` never prefetches; the production build npm test serves does, from the hover on.
  if (process.env.E2E_NEXT_MODE === 'start') {
    await expect.poll(() => ordersRequests.length).toBeGreaterThan(0);
  }

  await shopper.click(orders);
  await expect(page.getByRole('heading', { level: 1, name: 'Your orders' })).toBeVisible();
});

test("a product's breadcrumb fetches its category only when the shopper points at it, then lists that category", async ({
  page,
}) => {
  const categoryRequests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.searchParams.has('category')) categoryRequests.push(url.search);
  });
  const shopper = await Shopper.atHome(page, { audit: false });
  await shopper.click(page.getByRole('banner').getByRole('link', { name: 'Shop' }));
  await page.getByLabel('Search products').fill('camp mug');
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  await shopper.click(page.getByRole('link', { name: /Enamel Camp Mug/ }));
  await expect(page.getByRole('heading', { level: 1, name: 'Enamel Camp Mug' })).toBeVisible();
  // Loaded afresh, as a shopper arriving from a shared link gets it: the network going quiet then
  // means the links in view have had their chance to be prefetched.
  await page.reload();
  await page.waitForLoadState('networkidle');
  expect(categoryRequests).toEqual([]);

  const category = page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', {
    name: 'Outdoors',
    exact: true,
  });
  await category.hover();
  if (process.env.E2E_NEXT_MODE === 'start') {
    await expect.poll(() => categoryRequests.length).toBeGreaterThan(0);
  }

  await shopper.click(category);
  await expect(page.getByRole('heading', { level: 1, name: 'Outdoors' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Outdoors', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByRole('link', { name: /Enamel Camp Mug/ })).toBeVisible();
});
