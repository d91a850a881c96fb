import { OrderError, PaymentFailedError } from '../../domain/errors';
import {
  captureDecision,
  classifyPaymentError,
  paymentIdempotencyKey,
  type PaymentProviderError,
} from '../../domain/payment';
import { assertTransition, hasReached } from '../../domain/status';
import { parseStepInput } from '../shared/events';
import { advanceOrder, getOrder } from '../shared/orders';
import { stripe } from '../shared/stripe';

/** Workflow step: captures the authorized payment (already captured is fine); INVENTORY_RESERVED -> PAYMENT_CAPTURED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'PAYMENT_CAPTURED')) return { orderId };
  assertTransition(order.status, 'PAYMENT_CAPTURED');
  const paymentIntentId = order.paymentIntentId;
  if (!paymentIntentId)
    throw new PaymentFailedError(`order ${orderId} has no authorized payment to capture`);
  try {
    const intent = await stripe().paymentIntents.retrieve(paymentIntentId);
    if (captureDecision(intent.status, paymentIntentId) === 'capture') {
      await stripe().paymentIntents.capture(
        paymentIntentId,
        {},
        { idempotencyKey: paymentIdempotencyKey(orderId, 'capture') },
      );
    }
  } catch (error) {
    if (error instanceof OrderError) throw error;
    throw classifyPaymentError(error as PaymentProviderError, error);
  }
  await advanceOrder({ orderId, to: 'PAYMENT_CAPTURED' });
  return { orderId };
};
