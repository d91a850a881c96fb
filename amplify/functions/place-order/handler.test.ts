import { describe, expect, it, vi } from 'vitest';
import { orderIdFor } from '../../domain/identity';
import type { Order } from '../../domain/order';
import { aCatalog } from '../../domain/test-fixtures';
import type { NewOrder } from '../shared/orders';
import { placeOrderWith } from './handler';

const args = () => ({
  idempotencyKey: 'key-00000001',
  shippingAddress: { name: 'Ada', line1: '1 Way', city: 'London', postalCode: 'N1', country: 'GB' },
  lines: [
    { productId: 'p-mug', quantity: 2, unitPriceCents: 1 },
    { productId: 'p-tee', quantity: 1 },
  ],
  paymentMethodId: 'pm_card_visa',
});
const identity = { sub: 'sub-1', username: 'ada', claims: {} };

/** A fake order store keyed by id, as createOrder's condition on the id behaves. */
const harness = (catalog = aCatalog()) => {
  const stored = new Map<string, Order>();
  const queued: string[] = [];
  const deps = {
    loadProducts: vi.fn(
      async (ids: readonly string[]) => new Map([...catalog].filter(([id]) => ids.includes(id))),
    ),
    createOrderOnce: vi.fn(async (order: NewOrder) => {
      const existing = stored.get(order.id);
      if (existing) return { order: existing, created: false };
      stored.set(order.id, order);
      return { order, created: true };
    }),
    enqueue: vi.fn(async (orderId: string) => {
      queued.push(orderId);
    }),
    verifiedEmailOf: vi.fn(async (username: string): Promise<string | null> =>
      username === 'ada' ? 'ada@example.com' : null,
    ),
    now: () => new Date('2030-01-02T03:04:05Z'),
  };
  return { handler: placeOrderWith(deps), deps, stored, queued };
};

describe('Function: placeOrder handler', () => {
  it('prices on the server, stores the order PENDING under its owner, and queues it', async () => {
    // Prepare
    const { handler, queued } = harness();
    // Act
    const order = await handler({ arguments: args(), identity });
    // Assess
    expect(order).toMatchObject({
      id: orderIdFor('sub-1::ada', 'key-00000001'),
      owner: 'sub-1::ada',
      status: 'PENDING',
      subtotalCents: 4500,
      taxCents: 371,
      shippingCents: 599,
      totalCents: 5470,
      currency: 'usd',
      statusHistory: [{ status: 'PENDING', at: '2030-01-02T03:04:05.000Z', note: null }],
    });
    expect(order.lines[0]).toMatchObject({ productId: 'p-mug', unitPriceCents: 1250, quantity: 2 });
    expect(queued).toEqual([order.id]);
  });

  it('returns the same order for the same key and never makes a second', async () => {
    const { handler, stored } = harness();
    const first = await handler({ arguments: args(), identity });
    const second = await handler({
      arguments: { ...args(), lines: [{ productId: 'p-mug', quantity: 9 }] },
      identity,
    });
    expect(second).toEqual(first);
    expect(stored.size).toBe(1);
  });

  it('re-queues a still-PENDING order on a repeated key, and not one already under way', async () => {
    const { handler, stored, queued } = harness();
    const order = await handler({ arguments: args(), identity });
    await handler({ arguments: args(), identity });
    stored.set(order.id, { ...order, status: 'VALIDATED' });
    await handler({ arguments: args(), identity });
    expect(queued).toEqual([order.id, order.id]);
  });

  it.each([
    [{ ...args(), lines: [{ productId: 'p-mug', quantity: 0 }] }, 'lines[0].quantity'],
    [{ ...args(), lines: [{ productId: 'p-ghost', quantity: 1 }] }, 'lines[0].productId'],
    [{ ...args(), idempotencyKey: undefined }, 'idempotencyKey'],
  ])(
    'refuses bad input as INVALID_ORDER naming the field, storing and queueing nothing (%#)',
    async (input, field) => {
      const { handler, deps } = harness();
      const failure = handler({ arguments: input, identity });
      await expect(failure).rejects.toMatchObject({ name: 'INVALID_ORDER', code: 'INVALID_ORDER' });
      await expect(failure).rejects.toThrow(field);
      expect(deps.createOrderOnce).not.toHaveBeenCalled();
      expect(deps.enqueue).not.toHaveBeenCalled();
    },
  );

  it("mails the signed-in shopper's verified address, never one the caller names", async () => {
    const { handler, deps } = harness();
    const order = await handler({
      arguments: { ...args(), email: 'stranger@example.com' },
      identity,
    });
    expect(order.email).toBe('ada@example.com');
    expect(deps.verifiedEmailOf).toHaveBeenCalledWith('ada');
  });

  it('refuses a shopper without a verified address, storing nothing', async () => {
    const { handler, deps } = harness();
    await expect(
      handler({ arguments: args(), identity: { sub: 'sub-2', username: 'bob', claims: {} } }),
    ).rejects.toThrow(/no verified email/);
    expect(deps.createOrderOnce).not.toHaveBeenCalled();
  });

  it('refuses an inactive product', async () => {
    const { handler } = harness(aCatalog({ id: 'p-mug', active: false }));
    await expect(
      handler({ arguments: { ...args(), lines: [{ productId: 'p-mug', quantity: 1 }] }, identity }),
    ).rejects.toThrow(/INVALID_ORDER: .*lines\[0\]\.productId/);
  });

  it('refuses a caller without a user identity', async () => {
    const { handler } = harness();
    await expect(handler({ arguments: args(), identity: null })).rejects.toMatchObject({
      code: 'INVALID_ORDER',
    });
  });

  it('hides unexpected failures behind INTERNAL', async () => {
    const { handler, deps } = harness();
    deps.loadProducts.mockRejectedValueOnce(new Error('boom'));
    vi.spyOn(console, 'error').mockImplementationOnce(() => undefined);
    await expect(handler({ arguments: args(), identity })).rejects.toMatchObject({
      name: 'INTERNAL',
    });
  });
});
