import { describe, expect, it } from 'vitest';
import { OutOfStockError } from '../../domain/errors';
import { anOrder } from '../../domain/test-fixtures';
import type { ProductStock } from '../dependencies';
import { releaseInventory, reserveInventory, reserveLines } from './reserve-inventory';

/** A product table in memory with the same take/give-back rules as the conditional writes. */
const shelf = (stock: Record<string, number>, heldBefore: Record<string, number> = {}) => {
  const held = new Map(Object.entries(heldBefore));
  const take = async (line: { productId: string; quantity: number }) => {
    if (held.has(line.productId)) return 'already-taken' as const;
    if ((stock[line.productId] ?? 0) < line.quantity) return 'short' as const;
    stock[line.productId] = (stock[line.productId] ?? 0) - line.quantity;
    held.set(line.productId, line.quantity);
    return 'taken' as const;
  };
  const giveBack = async (line: { productId: string; quantity: number }) => {
    if (held.get(line.productId) !== line.quantity) return false;
    stock[line.productId] = (stock[line.productId] ?? 0) + line.quantity;
    held.delete(line.productId);
    return true;
  };
  return { stock, held, take, giveBack };
};

const lines = [
  { productId: 'a', quantity: 2 },
  { productId: 'b', quantity: 1 },
  { productId: 'c', quantity: 3 },
];

describe('Function: reserveLines', () => {
  it('takes every line', async () => {
    const s = shelf({ a: 2, b: 5, c: 3 });
    await reserveLines(lines, s.take, s.giveBack);
    expect(s.stock).toEqual({ a: 0, b: 4, c: 0 });
    expect([...s.held.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('gives back the lines already taken when one is short, and reports OUT_OF_STOCK', async () => {
    const s = shelf({ a: 2, b: 5, c: 1 });
    await expect(reserveLines(lines, s.take, s.giveBack)).rejects.toThrow(OutOfStockError);
    expect(s.stock).toEqual({ a: 2, b: 5, c: 1 });
    expect(s.held.size).toBe(0);
  });

  it('takes nothing twice when retried after a partial run', async () => {
    const s = shelf({ a: 0, b: 5, c: 3 }, { a: 2 });
    await reserveLines(lines, s.take, s.giveBack);
    expect(s.stock).toEqual({ a: 0, b: 4, c: 0 });
  });

  it('gives back what an earlier attempt took when a later line is short', async () => {
    const s = shelf({ a: 0, b: 5, c: 0 }, { a: 2 });
    await expect(reserveLines(lines, s.take, s.giveBack)).rejects.toThrow(OutOfStockError);
    expect(s.stock).toEqual({ a: 2, b: 5, c: 0 });
    expect(s.held.size).toBe(0);
  });
});

/** The product table in memory behind the step's ProductStock dependency, per order. */
const productStockOf = (stock: Record<string, number>) => {
  const markers = new Map<string, number>();
  const deps: ProductStock = {
    take: async (orderId, line) => {
      const key = `${line.productId}/${orderId}`;
      if (markers.has(key)) return 'already-taken';
      if ((stock[line.productId] ?? 0) < line.quantity) return 'short';
      stock[line.productId] = (stock[line.productId] ?? 0) - line.quantity;
      markers.set(key, line.quantity);
      return 'taken';
    },
    giveBack: async (orderId, line) => {
      const key = `${line.productId}/${orderId}`;
      if (markers.get(key) !== line.quantity) return false;
      stock[line.productId] = (stock[line.productId] ?? 0) + line.quantity;
      markers.delete(key);
      return true;
    },
    prune: async () => undefined,
  };
  return { deps, stock, markers };
};

describe('Step: reserveInventory and its compensation releaseInventory', () => {
  it('takes stock for every line of the order', async () => {
    // Prepare
    const table = productStockOf({ 'p-mug': 5, 'p-tee': 1 });
    // Act
    await reserveInventory.action(anOrder({ status: 'PAYMENT_AUTHORIZED' }), table.deps);
    // Assess
    expect(table.stock).toEqual({ 'p-mug': 3, 'p-tee': 0 });
  });

  it('release gives back exactly what the order took, and nothing the second time', async () => {
    const table = productStockOf({ 'p-mug': 5, 'p-tee': 1 });
    const order = anOrder({ status: 'INVENTORY_RESERVED' });
    await reserveInventory.action(order, table.deps);
    await releaseInventory.undo(order, table.deps);
    await releaseInventory.undo(order, table.deps);
    expect(table.stock).toEqual({ 'p-mug': 5, 'p-tee': 1 });
  });

  it('release gives back nothing for an order that took nothing', async () => {
    const table = productStockOf({ 'p-mug': 5, 'p-tee': 1 });
    await releaseInventory.undo(anOrder(), table.deps);
    expect(table.stock).toEqual({ 'p-mug': 5, 'p-tee': 1 });
  });

  it('is undone by releaseInventory', () => {
    expect(reserveInventory.compensation).toBe(releaseInventory);
  });
});
