import { describe, expect, it } from 'vitest';
import { STATUS_LABELS, statusTone } from './order-status';
import type { OrderStatus } from './types';

const statuses = Object.keys(STATUS_LABELS) as OrderStatus[];

describe('Storefront: order status colours', () => {
  it('no status wears the amber of the "Only N left" stock warnings', () => {
    for (const status of statuses) expect(statusTone(status)).not.toMatch(/amber/);
  });

  it('in progress, done and failed each look different', () => {
    const tones = new Set([
      statusTone('PAYMENT_AUTHORIZED'),
      statusTone('COMPLETED'),
      statusTone('FAILED'),
    ]);
    expect(tones.size).toBe(3);
  });
});
