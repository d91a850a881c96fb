import {
  classifyPaymentError,
  checkAuthorization,
  paymentIdempotencyKey,
  type PaymentProviderError,
} from '../../domain/payment';
import { assertTransition, hasReached } from '../../domain/status';
import { parseStepInput } from '../shared/events';
import { advanceOrder, getOrder } from '../shared/orders';
import { stripe } from '../shared/stripe';

/** Workflow step: authorizes the order total with Stripe (manual capture, idempotent per order); VALIDATED -> PAYMENT_AUTHORIZED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'PAYMENT_AUTHORIZED')) return { orderId };
  assertTransition(order.status, 'PAYMENT_AUTHORIZED');
  let intent;
  try {
    intent = await stripe().paymentIntents.create(
      {
        amount: order.totalCents,
        currency: order.currency.toLowerCase(),
        payment_method: order.paymentMethodId,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        confirm: true,
        capture_method: 'manual',
        description: `Order ${orderId}`,
        metadata: { orderId },
      },
      { idempotencyKey: paymentIdempotencyKey(orderId, 'authorize') },
    );
  } catch (error) {
    throw classifyPaymentError(error as PaymentProviderError, error);
  }
  checkAuthorization(intent.status, intent.id);
  await advanceOrder({ orderId, to: 'PAYMENT_AUTHORIZED', patch: { paymentIntentId: intent.id } });
  return { orderId };
};
