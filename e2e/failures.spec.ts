import { expect, test } from '@playwright/test';
import {
  addToCart,
  adminGetOrder,
  fillAddress,
  listProducts,
  newEmail,
  placeOrderWithCard,
  TEST_CARDS,
  registerShopper,
  setStock,
  signInWithForm,
  snapshot,
  waitForMail,
} from './support';

const cases = [
  { card: TEST_CARDS.declined, code: 'PAYMENT_DECLINED', words: /declined/i },
  { card: TEST_CARDS.insufficientFunds, code: 'INSUFFICIENT_FUNDS', words: /insufficient funds/i },
] as const;

for (const { card, code, words } of cases) {
  test(`a ${code} card ends on a clear failure with nothing charged`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const [product] = await listProducts();
    if (!product) throw new Error('the catalog is empty');
    await setStock(product.id, 10);
    const email = newEmail(code.toLowerCase());
    await registerShopper(email);

    await addToCart(page, product.id, 1);
    await page.goto('/checkout');
    await signInWithForm(page, email);
    await fillAddress(page);
    const orderId = await placeOrderWithCard(page, card);

    await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'FAILED', {
      timeout: 120_000,
    });
    const failure = page.getByTestId('order-failure');
    await expect(failure).toContainText(words);
    await expect(failure).toContainText(/not been charged/i);
    await expect(failure.getByRole('link', { name: 'Try another card' })).toBeVisible();
    await snapshot(page, testInfo, `order-${code.toLowerCase()}`);

    const order = await adminGetOrder(orderId);
    expect(order?.failureCode).toBe(code);
    await waitForMail(email, (m) => /could not complete/i.test(m.subject));
    // Nothing charged, nothing held: the stock is back where it was.
    const after = (await listProducts()).find((p) => p.id === product.id);
    expect(after?.stock).toBe(10);
  });
}
