import { OrderError, PaymentFailedError } from '../../domain/errors';
import {
  captureDecision,
  classifyPaymentError,
  paymentIdempotencyKey,
  type PaymentProviderError,
} from '../../domain/payment';
import { stripePayments } from '../dependencies';
import { defineStep } from '../step';

/** Captures the authorized payment (already captured is fine); INVENTORY_RESERVED -> PAYMENT_CAPTURED. Undone by VoidPayment's refund. */
export const capturePayment = defineStep({
  state: 'CapturePayment',
  moves: 'PAYMENT_CAPTURED',
  needs: { stripe: true },
  dependencies: stripePayments,
  async action(order, { payments }) {
    const paymentIntentId = order.paymentIntentId;
    if (!paymentIntentId)
      throw new PaymentFailedError(`order ${order.id} has no authorized payment to capture`);
    try {
      const intent = await payments.paymentIntents.retrieve(paymentIntentId);
      if (captureDecision(intent.status, paymentIntentId) === 'capture') {
        await payments.paymentIntents.capture(
          paymentIntentId,
          {},
          { idempotencyKey: paymentIdempotencyKey(order.id, 'capture') },
        );
      }
    } catch (error) {
      if (error instanceof OrderError) throw error;
      throw classifyPaymentError(error as PaymentProviderError, error);
    }
  },
});
