import { describe, expect, it } from 'vitest';
import { OutOfStockError } from '../../domain/errors';
import { reserveLines } from './handler';

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
