import { assertTransition, hasReached } from '../../domain/status';
import { readEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { pruneReservation } from '../shared/inventory';
import { publishEvent } from '../shared/notify';
import { advanceOrder, getOrder } from '../shared/orders';

/** Workflow step: prunes the order's reservation markers (the stock stays sold), marks it COMPLETED and publishes OrderCompleted. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'COMPLETED')) return { orderId };
  assertTransition(order.status, 'COMPLETED');
  const { PRODUCT_TABLE_NAME, ORDER_EVENTS_TOPIC_ARN } = readEnv([
    'PRODUCT_TABLE_NAME',
    'ORDER_EVENTS_TOPIC_ARN',
  ]);
  for (const line of order.lines)
    await pruneReservation(PRODUCT_TABLE_NAME, orderId, line.productId);
  const { order: completed, changed } = await advanceOrder({ orderId, to: 'COMPLETED' });
  if (changed) {
    // The order is already COMPLETED: a lost operator event must not send a finished order into
    // compensation, so this one is best effort.
    await publishEvent({
      topicArn: ORDER_EVENTS_TOPIC_ARN,
      subject: `Order ${orderId} completed`,
      body: {
        type: 'OrderCompleted',
        orderId,
        status: 'COMPLETED',
        totalCents: completed.totalCents,
        currency: completed.currency,
      },
      attributes: { eventType: 'OrderCompleted', orderId, status: 'COMPLETED' },
    }).catch((error: unknown) =>
      console.error(`Could not publish OrderCompleted for ${orderId}`, error),
    );
  }
  return { orderId };
};
