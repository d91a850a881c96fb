import { confirmationEmail } from '../../domain/emails';
import { assertTransition, hasReached } from '../../domain/status';
import { readEnv, shopEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { publishEvent, sendEmail } from '../shared/notify';
import { advanceOrder, getOrder } from '../shared/orders';

/** Workflow step: publishes OrderConfirmed to OrderEvents and emails the shopper their summary; RECEIPT_READY -> CONFIRMED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'CONFIRMED')) return { orderId };
  assertTransition(order.status, 'CONFIRMED');
  const { ORDER_EVENTS_TOPIC_ARN } = readEnv(['ORDER_EVENTS_TOPIC_ARN']);
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = shopEnv();
  // Sent before the status moves: a retry after a failed update may send twice, never zero times.
  await publishEvent({
    topicArn: ORDER_EVENTS_TOPIC_ARN,
    subject: `Order ${orderId} confirmed`,
    body: {
      type: 'OrderConfirmed',
      orderId,
      status: 'CONFIRMED',
      totalCents: order.totalCents,
      currency: order.currency,
      items: order.lines.reduce((sum, line) => sum + line.quantity, 0),
      paymentIntentId: order.paymentIntentId ?? null,
      receiptKey: order.receiptKey ?? null,
    },
    attributes: { eventType: 'OrderConfirmed', orderId, status: 'CONFIRMED' },
  });
  await sendEmail(SHOP_FROM_EMAIL, confirmationEmail(order, STOREFRONT_URL));
  await advanceOrder({ orderId, to: 'CONFIRMED' });
  return { orderId };
};
