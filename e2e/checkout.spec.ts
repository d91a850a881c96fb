import { expect, test } from '@playwright/test';
import { extractText } from 'unpdf';
import { formatMoney } from '../lib/money';
import { HAPPY_PATH } from '../lib/order-status';
import {
  PASSWORD,
  addToCart,
  fillAddress,
  listProducts,
  newEmail,
  outputs,
  placeOrderWithCard,
  TEST_CARDS,
  setStock,
  snapshot,
  waitForMail,
} from './support';
import { findCode } from '../lib/mailbox';

test.describe('A new shopper buys two products', () => {
  test('signs up with the mailed code, pays, watches every status live, gets the receipt and emails', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const [first, second] = await listProducts();
    if (!first || !second) throw new Error('the catalog needs at least two active products');
    await setStock(first.id, 20);
    await setStock(second.id, 20);
    const email = newEmail('buyer');

    await addToCart(page, first.id, 1);
    await addToCart(page, second.id, 2);
    await expect(page.getByTestId('cart-count')).toHaveText('3');
    await page.goto('/cart');
    const expectedSubtotal = first.priceCents + 2 * second.priceCents;
    await expect(page.getByTestId('cart-line')).toHaveCount(2);
    await snapshot(page, testInfo, 'cart');

    // Sign up through the Authenticator; the code arrives in the local mailbox.
    await expect(page.getByRole('link', { name: 'Check out' })).toHaveAttribute(
      'href',
      '/checkout',
    );
    await page.goto('/checkout');
    const auth = page.locator('[data-amplify-authenticator]');
    await auth.getByRole('tab', { name: 'Create Account' }).click();
    await auth.getByLabel('Email').fill(email);
    await auth.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await auth.getByLabel('Confirm Password').fill(PASSWORD);
    await auth.getByRole('button', { name: 'Create Account' }).click();
    const codeMail = await waitForMail(email, (m) => findCode(m) !== null);
    await auth.getByLabel('Confirmation Code').fill(findCode(codeMail)!);
    await auth.getByRole('button', { name: 'Confirm' }).click();

    // Inline validation before anything is sent.
    await expect(page.getByRole('button', { name: 'Place order' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByText(`Order updates go to ${email}.`)).toBeVisible();
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect(page.getByText('Full name is required')).toBeVisible();
    await expect(page).toHaveURL(/\/checkout$/);

    await fillAddress(page);
    await snapshot(page, testInfo, 'checkout');

    const graphqlUrl = outputs().data.url;
    let httpCallsAfterLoad = 0;
    page.on('request', (request) => {
      if (request.url() === graphqlUrl && /\/orders\//.test(page.url())) httpCallsAfterLoad++;
    });

    const orderId = await placeOrderWithCard(page, TEST_CARDS.pays);
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __statuses: string[] }).__statuses = seen;
      const record = () => {
        const status = document
          .querySelector('[data-testid="order-status"]')
          ?.getAttribute('data-status');
        if (status && seen.at(-1) !== status) seen.push(status);
      };
      record();
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
    });
    await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'COMPLETED', {
      timeout: 90_000,
    });
    const seen = await page.evaluate(
      () => (window as unknown as { __statuses: string[] }).__statuses,
    );
    testInfo.annotations.push({ type: 'statuses seen live', description: seen.join(' → ') });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe('COMPLETED');
    // Live means pushed: the page read the order once and did not poll for the rest.
    expect(httpCallsAfterLoad).toBeLessThan(6);

    for (const status of HAPPY_PATH) {
      const step = page.locator(`[data-testid="order-timeline"] li[data-status="${status}"]`);
      await expect(step).toHaveAttribute('data-reached', 'true');
      await expect(step.locator('time')).toHaveCount(1);
    }
    await expect(page.getByTestId('tracking')).toContainText(/tracking number/);
    await snapshot(page, testInfo, 'order-completed');

    // The receipt: a fresh presigned URL, a PDF whose text holds the order id and the total.
    await page.getByRole('button', { name: 'Download receipt (PDF)' }).click();
    const href = await page.getByTestId('receipt-link').getAttribute('href');
    expect(href).toBeTruthy();
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    const { text } = await extractText(new Uint8Array(await pdf.body()), { mergePages: true });
    expect(text).toContain(orderId);
    const total = await page.getByTestId('cart-total').textContent();
    expect(total).toBeTruthy();
    expect(text).toContain(total!.trim());
    expect(total).not.toBe(formatMoney(expectedSubtotal)); // tax is on top of the subtotal

    await waitForMail(email, (m) => /is confirmed/i.test(m.subject));
    await waitForMail(email, (m) => /has shipped/i.test(m.subject));
  });
});
