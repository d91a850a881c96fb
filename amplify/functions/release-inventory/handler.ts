import { readEnv } from '../shared/env';
import { parseStepInput, type StepInput } from '../shared/events';
import { giveBackStock } from '../shared/inventory';
import { findOrder } from '../shared/orders';

/** Compensation: gives back exactly the stock this order holds (per its markers); nothing held is a no-op. Passes `error` on. */
export const handler = async (event: unknown): Promise<StepInput> => {
  const input = parseStepInput(event);
  const order = await findOrder(input.orderId);
  // A completed order's stock is sold, never given back; a missing order holds nothing.
  if (!order || order.status === 'COMPLETED') return input;
  const { PRODUCT_TABLE_NAME } = readEnv(['PRODUCT_TABLE_NAME']);
  for (const line of order.lines) await giveBackStock(PRODUCT_TABLE_NAME, order.id, line);
  return input;
};
