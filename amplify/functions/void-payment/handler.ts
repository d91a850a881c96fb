import {
  classifyPaymentError,
  mayHoldUnrecordedPayment,
  paymentSearchQuery,
  paymentsToGiveBack,
  type PaymentIntentState,
  type PaymentProviderError,
} from '../../domain/payment';
import type { Order } from '../../domain/order';
import { parseStepInput, type StepInput } from '../shared/events';
import { findOrder } from '../shared/orders';
import { stripe } from '../shared/stripe';

/** More intents than one order can make through its idempotent authorization; a bound, not a goal. */
const MAX_INTENTS_PER_ORDER = 100;

/**
 * The order's PaymentIntents: the one recorded on it, or, when AuthorizePayment may have died
 * between Stripe's answer and saving the id, those Stripe's search finds by the order's metadata.
 */
const paymentIntentsOf = async (order: Order): Promise<PaymentIntentState[]> => {
  if (order.paymentIntentId) return [await stripe().paymentIntents.retrieve(order.paymentIntentId)];
  if (!mayHoldUnrecordedPayment(order)) return [];
  // Stripe indexes for search within about a minute, so an intent made moments ago can be missed;
  // AuthorizePayment's retries usually outlast that, and an uncaptured hold still ends when the
  // card authorization expires (about 7 days online). The list API cannot filter by metadata.
  const found: PaymentIntentState[] = [];
  const results = stripe().paymentIntents.search({
    query: paymentSearchQuery(order.id),
    limit: 100,
  });
  for await (const intent of results) {
    found.push(intent);
    if (found.length >= MAX_INTENTS_PER_ORDER) break;
  }
  return found;
};

/** Compensation: cancels the authorization, or refunds a capture, with idempotency keys; no payment is a no-op. Passes `error` on. */
export const handler = async (event: unknown): Promise<StepInput> => {
  const input = parseStepInput(event);
  const order = await findOrder(input.orderId);
  if (!order || order.status === 'COMPLETED') return input;
  try {
    for (const giveBack of paymentsToGiveBack(order, await paymentIntentsOf(order))) {
      if (giveBack.action === 'cancel') {
        await stripe().paymentIntents.cancel(
          giveBack.paymentIntentId,
          { cancellation_reason: 'abandoned' },
          { idempotencyKey: giveBack.idempotencyKey },
        );
      } else {
        await stripe().refunds.create(
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
  return input;
};
