import { assertTransition, hasReached } from '../../domain/status';
import { readEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { pruneReservation } from '../shared/inventory';
import { advanceOrder, getOrder } from '../shared/orders';

/** Workflow step: prunes the order's reservation markers (the stock stays sold) and marks it COMPLETED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'COMPLETED')) return { orderId };
  assertTransition(order.status, 'COMPLETED');
  const { PRODUCT_TABLE_NAME } = readEnv(['PRODUCT_TABLE_NAME']);
  for (const line of order.lines)
    await pruneReservation(PRODUCT_TABLE_NAME, orderId, line.productId);
  await advanceOrder({ orderId, to: 'COMPLETED' });
  return { orderId };
};
