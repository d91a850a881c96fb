import {
  classifyPaymentError,
  compensationFor,
  paymentIdempotencyKey,
  type PaymentProviderError,
} from '../../domain/payment';
import { parseStepInput, type StepInput } from '../shared/events';
import { findOrder } from '../shared/orders';
import { stripe } from '../shared/stripe';

/** Compensation: cancels the authorization, or refunds a capture, with idempotency keys; no payment is a no-op. Passes `error` on. */
export const handler = async (event: unknown): Promise<StepInput> => {
  const input = parseStepInput(event);
  const order = await findOrder(input.orderId);
  const paymentIntentId = order?.paymentIntentId;
  if (!order || !paymentIntentId || order.status === 'COMPLETED') return input;
  try {
    const intent = await stripe().paymentIntents.retrieve(paymentIntentId);
    switch (compensationFor(intent.status)) {
      case 'cancel':
        await stripe().paymentIntents.cancel(
          paymentIntentId,
          { cancellation_reason: 'abandoned' },
          { idempotencyKey: paymentIdempotencyKey(order.id, 'void') },
        );
        break;
      case 'refund':
        await stripe().refunds.create(
          {
            payment_intent: paymentIntentId,
            reason: 'requested_by_customer',
            metadata: { orderId: order.id },
          },
          { idempotencyKey: paymentIdempotencyKey(order.id, 'refund') },
        );
        break;
      case 'none':
        break;
    }
  } catch (error) {
    throw classifyPaymentError(error as PaymentProviderError, error);
  }
  return input;
};
