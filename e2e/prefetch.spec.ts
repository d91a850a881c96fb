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
