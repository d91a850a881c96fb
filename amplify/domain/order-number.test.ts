import { describe, expect, it } from 'vitest';
import { orderNumber } from './order-number';

describe('Function: orderNumber', () => {
  it('is the first 8 hex digits of the id in capitals', () => {
    expect(orderNumber('9aa31acb-1f2e-8abc-9def-0123456789ab')).toBe('9AA31ACB');
  });
});
