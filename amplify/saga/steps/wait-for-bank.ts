import { BankConfirmationRequired, PaymentFailedError } from '../../domain/errors';
import { ORDER_ID_METADATA_KEY } from '../../domain/payment';
import { dynamoBankWaits, type BankWaits } from '../../functions/shared/bank-waits';
import type { Payments } from '../../functions/shared/stripe';
import { stripePayments } from '../dependencies';
import { defineWait } from '../step';

/** How long a kept token outlives any wait (the table's TTL cleans up after it). */
const KEEP_TOKEN_FOR_MS = 24 * 60 * 60 * 1000;

const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9]+$/;

export interface WaitForBankDeps {
  payments: Payments;
  waits: BankWaits;
  now: () => Date;
}

/**
 * 3-D Secure: AuthorizePayment found that the shopper's bank wants the shopper to confirm. Keeps the
 * execution's task token by PaymentIntent id for the Stripe webhook, and shows the order as
 * ACTION_REQUIRED (the order page then offers the bank's confirmation). The intent is checked at
 * Stripe first: a token is only ever kept for this order's own PaymentIntent.
 */
export const waitForBank = defineWait({
  state: 'WaitForBank',
  after: 'AuthorizePayment',
  asks: new BankConfirmationRequired('').name,
  moves: 'ACTION_REQUIRED',
  timeoutError: 'BankConfirmationTimedOut',
  needs: { stripe: true, bankWaits: true },
  dependencies: (): WaitForBankDeps => ({
    ...stripePayments(),
    waits: dynamoBankWaits(),
    now: () => new Date(),
  }),
  async keep(order, taskToken, asked, { payments, waits, now }) {
    const paymentIntentId = asked.trim();
    if (!PAYMENT_INTENT_ID.test(paymentIntentId))
      throw new PaymentFailedError(`the bank wait was asked for without a PaymentIntent id`);
    const intent = await payments.paymentIntents.retrieve(paymentIntentId);
    if (intent.metadata?.[ORDER_ID_METADATA_KEY] !== order.id)
      throw new PaymentFailedError(`PaymentIntent ${paymentIntentId} is not order ${order.id}'s`);
    await waits.keep(
      { paymentIntentId, orderId: order.id, taskToken },
      new Date(now().getTime() + KEEP_TOKEN_FOR_MS),
    );
    return { paymentIntentId };
  },
});
