import { bookShipment } from '../../domain/carrier';
import { shippedEmail } from '../../domain/emails';
import { assertTransition, hasReached } from '../../domain/status';
import { readEnv, shopEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { publishEvent, sendEmail } from '../shared/notify';
import { advanceOrder, getOrder } from '../shared/orders';

/** Workflow step: books the parcel with the (simulated) carrier, publishes OrderShipped and emails the tracking number; CONFIRMED -> SHIPPED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'SHIPPED')) return { orderId };
  assertTransition(order.status, 'SHIPPED');
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = shopEnv();
  const { ORDER_EVENTS_TOPIC_ARN } = readEnv(['ORDER_EVENTS_TOPIC_ARN']);
  const shipment = bookShipment(orderId);
  await publishEvent({
    topicArn: ORDER_EVENTS_TOPIC_ARN,
    subject: `Order ${orderId} shipped`,
    body: { type: 'OrderShipped', orderId, status: 'SHIPPED', ...shipment },
    attributes: { eventType: 'OrderShipped', orderId, status: 'SHIPPED' },
  });
  await sendEmail(SHOP_FROM_EMAIL, shippedEmail({ ...order, ...shipment }, STOREFRONT_URL));
  await advanceOrder({ orderId, to: 'SHIPPED', patch: shipment });
  return { orderId };
};
