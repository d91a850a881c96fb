import { OutOfStockError } from '../../domain/errors';
import type { OrderLine } from '../../domain/order';
import { assertTransition, hasReached } from '../../domain/status';
import { readEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { giveBackStock, takeStock, type TakeResult } from '../shared/inventory';
import { advanceOrder, getOrder } from '../shared/orders';

type Line = Pick<OrderLine, 'productId' | 'quantity'>;

/**
 * Takes stock for every line in turn. When one line is short, gives back every line this order
 * holds (taken now or by an earlier attempt) and throws OutOfStockError; nothing stays reserved.
 */
export const reserveLines = async (
  lines: readonly Line[],
  take: (line: Line) => Promise<TakeResult>,
  giveBack: (line: Line) => Promise<boolean>,
): Promise<void> => {
  const held: Line[] = [];
  for (const line of lines) {
    const result = await take(line);
    if (result === 'short') {
      for (const taken of held) await giveBack(taken);
      throw new OutOfStockError(`not enough stock of ${line.productId} for ${line.quantity}`);
    }
    held.push(line);
  }
};

/** Workflow step: takes stock per line with conditional writes, all or nothing; PAYMENT_AUTHORIZED -> INVENTORY_RESERVED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'INVENTORY_RESERVED')) return { orderId };
  assertTransition(order.status, 'INVENTORY_RESERVED');
  const { PRODUCT_TABLE_NAME } = readEnv(['PRODUCT_TABLE_NAME']);
  await reserveLines(
    order.lines,
    (line) => takeStock(PRODUCT_TABLE_NAME, orderId, line),
    (line) => giveBackStock(PRODUCT_TABLE_NAME, orderId, line),
  );
  await advanceOrder({ orderId, to: 'INVENTORY_RESERVED' });
  return { orderId };
};
