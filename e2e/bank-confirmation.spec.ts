/**
 * 3-D Secure: a shopper pays with a card whose bank asks for confirmation. The order waits
 * (ACTION_REQUIRED) with one button; the local Stripe's authentication page stands in for the
 * bank's, and the signed Stripe webhook resumes the saga. The e2e backend's wait is shortened
 * (BANK_CONFIRMATION_TIMEOUT_SECONDS, scripts/browser-test-settings.ts) for the walk-away journey.
 */
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { STATUS_LABELS } from '../lib/order-status';
import { PHONE, Shopper } from './shopper';
import { PASSWORD, listProducts, newEmail, outputs, registerShopper, setStock } from './support';

test.use({ viewport: PHONE });

const NAME = 'Stoneware Mug';
const CARDS = {
  alwaysAsks: '4000 0027 6000 3184',
  asksThenDeclines: '4000 0084 0000 1629',
  asks: '4000 0000 0000 3220',
};

/** The local Stripe, through the real SDK with the backend's one secret key (its default). */
const stripeApi = () => {
  const url = new URL(outputs().custom?.local?.stripe ?? 'http://127.0.0.1:4808');
  return new Stripe(process.env.LOCAL_STRIPE_SECRET_KEY ?? 'sk_test_local_offline', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    telemetry: false,
  });
};

const stockOf = async () => (await listProducts()).find((p) => p.name === NAME)?.stock;

/** Home -> product -> cart -> checkout -> signed in -> address -> pays: on the order page, waiting. */
async function orderUntilTheBankAsks(page: Page, card: string): Promise<Shopper> {
  const email = newEmail('bank');
  await registerShopper(email);
  const shopper = await Shopper.atHome(page, { audit: false });
  await shopper.click(page.getByRole('banner').getByRole('link', { name: 'Shop' }));
  await page.getByLabel('Search products').fill('mug');
  await shopper.click(page.getByRole('button', { name: 'Apply' }));
  await shopper.click(page.getByRole('link', { name: new RegExp(NAME) }).filter({ visible: true }));
  await shopper.click(page.getByRole('button', { name: 'Add to cart' }));
  await shopper.click(page.getByRole('banner').getByRole('link', { name: /^Cart/ }));
  await shopper.click(page.getByRole('link', { name: 'Check out' }));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await shopper.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await shopper.typeAddress('Katherine Johnson');
  await shopper.payWith(card);
  await expect(
    page.getByRole('status').filter({ hasText: `Order status: ${STATUS_LABELS.ACTION_REQUIRED}` }),
  ).toBeVisible({ timeout: 90_000 });
  await expect(
    page.getByRole('heading', { name: 'Your bank wants to confirm this payment' }),
  ).toBeVisible();
  return shopper;
}

const orderIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop() ?? '';

/** What Stripe holds for the order: no authorization or capture may be left open after a failure. */
async function openChargesOf(orderId: string): Promise<string[]> {
  const intents = await stripeApi().paymentIntents.list({ limit: 100 });
  return intents.data
    .filter((intent) => intent.metadata['orderId'] === orderId)
    .filter((intent) => ['requires_capture', 'succeeded', 'processing'].includes(intent.status))
    .map((intent) => `${intent.id} ${intent.status}`);
}

test.beforeEach(async () => {
  const product = (await listProducts()).find((p) => p.name === NAME);
  if (!product) throw new Error(`the seeded catalog has no ${NAME}`);
  await setStock(product.id, 20);
});

test('confirms with the bank on its page and watches the order reach Completed live', async ({
  page,
}) => {
  const shopper = await orderUntilTheBankAsks(page, CARDS.alwaysAsks);
  await shopper.click(page.getByRole('button', { name: 'Confirm with your bank' }));
  await expect(page.getByRole('heading', { name: '3D Secure 2 Test Page' })).toBeVisible();
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  // Back on the order page, which carries on live from the bank's answer.
  await expect(page.getByRole('heading', { level: 1, name: /^Order [0-9A-F]{8}$/ })).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: `Order status: ${STATUS_LABELS.COMPLETED}` }),
  ).toBeVisible({ timeout: 120_000 });
  const progress = page.getByRole('region', { name: 'Progress' });
  await expect(progress.getByText(STATUS_LABELS.ACTION_REQUIRED)).toBeVisible();
  await expect(progress.getByText('(not yet)')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Confirm with your bank' })).toHaveCount(0);
});

test('fails the bank’s check: the order fails cleanly, stock back, nothing charged', async ({
  page,
}) => {
  const stockBefore = await stockOf();
  const shopper = await orderUntilTheBankAsks(page, CARDS.alwaysAsks);
  const orderId = orderIdOf(page);
  await shopper.click(page.getByRole('button', { name: 'Confirm with your bank' }));
  await page.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Order status: ${STATUS_LABELS.FAILED}` }),
  ).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByRole('alert').filter({ hasText: 'Your bank did not confirm this payment' }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Try another card' })).toBeVisible();
  expect(await stockOf()).toBe(stockBefore);
  expect(await openChargesOf(orderId)).toEqual([]);
});

test('a card the bank confirms and then declines: the order fails as declined, nothing charged', async ({
  page,
}) => {
  const shopper = await orderUntilTheBankAsks(page, CARDS.asksThenDeclines);
  const orderId = orderIdOf(page);
  await shopper.click(page.getByRole('button', { name: 'Confirm with your bank' }));
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Order status: ${STATUS_LABELS.FAILED}` }),
  ).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByRole('alert').filter({ hasText: /declined|insufficient funds/ }),
  ).toBeVisible();
  expect(await openChargesOf(orderId)).toEqual([]);
});

test('walks away from the bank: the wait runs out, the order is cancelled, stock back', async ({
  page,
}) => {
  const stockBefore = await stockOf();
  await orderUntilTheBankAsks(page, CARDS.asks);
  const orderId = orderIdOf(page);
  // Nothing is clicked: the shortened wait (BANK_CONFIRMATION_TIMEOUT_SECONDS) runs out.
  await expect(
    page.getByRole('status').filter({ hasText: `Order status: ${STATUS_LABELS.FAILED}` }),
  ).toBeVisible({ timeout: 180_000 });
  await expect(
    page.getByRole('alert').filter({ hasText: 'Your bank did not confirm this payment' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirm with your bank' })).toHaveCount(0);
  expect(await stockOf()).toBe(stockBefore);
  expect(await openChargesOf(orderId)).toEqual([]);
});
