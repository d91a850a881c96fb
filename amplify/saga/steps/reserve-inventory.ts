import { OutOfStockError } from '../../domain/errors';
import type { OrderLine } from '../../domain/order';
import type { TakeResult } from '../../functions/shared/inventory';
import { productStock } from '../dependencies';
import { defineCompensation, defineStep } from '../step';

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

/** Compensation: gives back exactly the stock this order holds (per its markers); nothing held is a no-op. */
export const releaseInventory = defineCompensation({
  state: 'ReleaseInventory',
  needs: { productTable: 'stock', orderTable: true },
  dependencies: productStock,
  async undo(order, stock) {
    for (const line of order.lines) await stock.giveBack(order.id, line);
  },
});

/** Takes stock per line with conditional writes, all or nothing; PAYMENT_AUTHORIZED -> INVENTORY_RESERVED. */
export const reserveInventory = defineStep({
  state: 'ReserveInventory',
  moves: 'INVENTORY_RESERVED',
  needs: { productTable: 'stock', orderTable: true },
  dependencies: productStock,
  async action(order, stock) {
    await reserveLines(
      order.lines,
      (line) => stock.take(order.id, line),
      (line) => stock.giveBack(order.id, line),
    );
  },
  compensation: releaseInventory,
});
