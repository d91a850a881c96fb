import {
  checkAuthorization,
  classifyPaymentError,
  mayHoldUnrecordedPayment,
  paymentIdempotencyKey,
  paymentSearchQuery,
  paymentsToGiveBack,
  type PaymentIntentState,
  type PaymentProviderError,
} from '../../domain/payment';
import type { Order } from '../../domain/order';
import type { Payments } from '../../functions/shared/stripe';
import { stripePayments } from '../dependencies';
import { defineCompensation, defineStep } from '../step';

/** More intents than one order can make through its idempotent authorization; a bound, not a goal. */
const MAX_INTENTS_PER_ORDER = 100;

/**
 * The order's PaymentIntents: the one recorded on it, or, when AuthorizePayment may have died
 * between Stripe's answer and saving the id, those Stripe's search finds by the order's metadata.
 */
const paymentIntentsOf = async (
  order: Order,
  payments: Payments,
): Promise<PaymentIntentState[]> => {
  if (order.paymentIntentId) return [await payments.paymentIntents.retrieve(order.paymentIntentId)];
  if (!mayHoldUnrecordedPayment(order)) return [];
  // Stripe indexes for search within about a minute, so an intent made moments ago can be missed;
  // AuthorizePayment's retries usually outlast that, and an uncaptured hold still ends when the
  // card authorization expires (about 7 days online). The list API cannot filter by metadata.
  const found: PaymentIntentState[] = [];
  const results = payments.paymentIntents.search({
    query: paymentSearchQuery(order.id),
    limit: 100,
  });
  for await (const intent of results) {
    found.push(intent);
    if (found.length >= MAX_INTENTS_PER_ORDER) break;
  }
  return found;
};

/**
 * Compensation: cancels the authorization, or refunds a capture (CapturePayment only captures
 * this authorization, so this undoes both), with idempotency keys; no payment is a no-op.
 */
export const voidPayment = defineCompensation({
  state: 'VoidPayment',
  needs: { stripe: true },
  dependencies: stripePayments,
  async undo(order, { payments }) {
    try {
      for (const giveBack of paymentsToGiveBack(order, await paymentIntentsOf(order, payments))) {
        if (giveBack.action === 'cancel') {
          await payments.paymentIntents.cancel(
            giveBack.paymentIntentId,
            { cancellation_reason: 'abandoned' },
            { idempotencyKey: giveBack.idempotencyKey },
          );
        } else {
          await payments.refunds.create(
            {
              payment_intent: giveBack.paymentIntentId,
              reason: 'requested_by_customer',
              metadata: { orderId: order.id },
            },
            { idempotencyKey: giveBack.idempotencyKey },
          );
        }
      }
    } catch (error) {
      throw classifyPaymentError(error as PaymentProviderError, error);
    }
  },
});

/**
 * Authorizes the order total with Stripe (manual capture, idempotent per order); VALIDATED ->
 * PAYMENT_AUTHORIZED. When the bank wants the shopper to confirm (3-D Secure) it throws
 * BankConfirmationRequired: the saga waits (WaitForBank) and runs this step again, which then reads
 * the recorded intent for the bank's answer instead of creating one.
 */
export const authorizePayment = defineStep({
  state: 'AuthorizePayment',
  moves: 'PAYMENT_AUTHORIZED',
  needs: { stripe: true },
  dependencies: stripePayments,
  async action(order, { payments }) {
    let intent;
    try {
      intent =
        order.status === 'ACTION_REQUIRED' && order.paymentIntentId
          ? await payments.paymentIntents.retrieve(order.paymentIntentId)
          : await payments.paymentIntents.create(
              {
                amount: order.totalCents,
                currency: order.currency.toLowerCase(),
                payment_method: order.paymentMethodId,
                automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
                confirm: true,
                capture_method: 'manual',
                description: `Order ${order.id}`,
                metadata: { orderId: order.id },
              },
              { idempotencyKey: paymentIdempotencyKey(order.id, 'authorize') },
            );
    } catch (error) {
      throw classifyPaymentError(error as PaymentProviderError, error);
    }
    checkAuthorization(intent.status, intent.id, intent.last_payment_error?.code);
    return { paymentIntentId: intent.id };
  },
  compensation: voidPayment,
});
