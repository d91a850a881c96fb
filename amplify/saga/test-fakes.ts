import type { Order } from '../domain/order';
import type { OrderMove, OrderStore } from '../functions/shared/orders';
import type { RunnerDeps } from './runner';

/**
 * An order store in memory with AppSync's conditional update: a move is written only while the
 * stored order is still in the status it was read in. `beforeWrite` lets a test change the order
 * between the runner's read and its write (a lost race).
 */
export const fakeOrders = (...orders: Order[]) => {
  const stored = new Map(orders.map((order) => [order.id, order]));
  const reads: string[] = [];
  const writes: OrderMove[] = [];
  let beforeWrite: ((stored: Map<string, Order>) => void) | undefined;
  const store: OrderStore = {
    async find(id) {
      reads.push(id);
      return stored.get(id) ?? null;
    },
    async moveIfUnchanged(read, move) {
      beforeWrite?.(stored);
      beforeWrite = undefined;
      const current = stored.get(read.id);
      if (!current || current.status !== read.status) return null;
      writes.push(move);
      const written = {
        ...current,
        ...move.patch,
        status: move.status,
        statusHistory: move.statusHistory,
      };
      stored.set(read.id, written);
      return written;
    },
  };
  const deps: RunnerDeps = { orders: store, now: () => new Date('2030-01-02T03:05:00Z') };
  return {
    deps,
    stored,
    reads,
    writes,
    /** Runs `change` once, right before the next write. */
    raceBeforeNextWrite(change: (stored: Map<string, Order>) => void) {
      beforeWrite = change;
    },
  };
};
