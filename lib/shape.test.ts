import { describe, expect, it } from 'vitest';
import { newerOrder, toOrder, toProduct } from './shape';

const record = (over: Record<string, unknown> = {}) => ({
  id: 'o1',
  owner: 'sub::user',
  email: 'a@example.com',
  shippingAddress: { name: 'A', line1: '1 St', city: 'X', postalCode: '1', country: 'US' },
  lines: [{ productId: 'p1', sku: 'S', name: 'Mug', unitPriceCents: 100, quantity: 1 }],
  subtotalCents: 100,
  taxCents: 8,
  shippingCents: 599,
  totalCents: 707,
  currency: 'USD',
  status: 'VALIDATED',
  statusHistory: [
    { status: 'VALIDATED', at: '2026-01-01T00:00:02Z' },
    { status: 'PENDING', at: '2026-01-01T00:00:01Z' },
  ],
  updatedAt: '2026-01-01T00:00:02Z',
  __typename: 'Order',
  ...over,
});

describe('Shape: toOrder / toProduct', () => {
  it('reshapes an order and orders its history by time', () => {
    const order = toOrder(record());
    expect(order?.statusHistory.map((s) => s.status)).toEqual(['PENDING', 'VALIDATED']);
    expect(order?.failureReason).toBeNull();
  });

  it('refuses records that are not orders or products', () => {
    expect(toOrder({ id: 'x', status: 'LOST' })).toBeNull();
    expect(toProduct({ id: 'x' })).toBeNull();
  });
});

describe('Shape: newerOrder', () => {
  it('keeps the view that is further along, whichever arrives last', () => {
    const older = toOrder(record())!;
    const newer = toOrder(
      record({
        status: 'PAYMENT_AUTHORIZED',
        statusHistory: [
          ...record().statusHistory,
          { status: 'PAYMENT_AUTHORIZED', at: '2026-01-01T00:00:03Z' },
        ],
      }),
    )!;
    expect(newerOrder(older, newer).status).toBe('PAYMENT_AUTHORIZED');
    expect(newerOrder(newer, older).status).toBe('PAYMENT_AUTHORIZED');
  });
});
