import { bookShipment } from '../../domain/carrier';
import { shippedEmail } from '../../domain/emails';
import { assertTransition, hasReached } from '../../domain/status';
import { shopEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { sendEmail } from '../shared/notify';
import { advanceOrder, getOrder } from '../shared/orders';

/** Workflow step: books the parcel with the (simulated) carrier and emails the tracking number; CONFIRMED -> SHIPPED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'SHIPPED')) return { orderId };
  assertTransition(order.status, 'SHIPPED');
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = shopEnv();
  const shipment = bookShipment(orderId);
  await sendEmail(SHOP_FROM_EMAIL, shippedEmail({ ...order, ...shipment }, STOREFRONT_URL));
  await advanceOrder({ orderId, to: 'SHIPPED', patch: shipment });
  return { orderId };
};
