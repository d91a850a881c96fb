import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from './errors';
import { ORDER_STATUSES, type OrderStatus } from './order';
import {
  assertTransition,
  canTransition,
  HAPPY_PATH,
  hasReached,
  isTerminal,
  planTransition,
  predecessorsOf,
  TRANSITIONS,
} from './status';

const LEGAL: [OrderStatus, OrderStatus][] = [
  ['PENDING', 'VALIDATED'],
  ['VALIDATED', 'PAYMENT_AUTHORIZED'],
  ['PAYMENT_AUTHORIZED', 'INVENTORY_RESERVED'],
  ['INVENTORY_RESERVED', 'PAYMENT_CAPTURED'],
  ['PAYMENT_CAPTURED', 'RECEIPT_READY'],
  ['RECEIPT_READY', 'CONFIRMED'],
  ['CONFIRMED', 'SHIPPED'],
  ['SHIPPED', 'COMPLETED'],
  // 3-D Secure: the detour while the shopper's bank confirms, and back onto the path.
  ['VALIDATED', 'ACTION_REQUIRED'],
  ['ACTION_REQUIRED', 'PAYMENT_AUTHORIZED'],
  ['ACTION_REQUIRED', 'FAILED'],
  ...HAPPY_PATH.filter((s) => s !== 'COMPLETED').map((s): [OrderStatus, OrderStatus] => [
    s,
    'FAILED',
  ]),
];

const ALL_PAIRS = ORDER_STATUSES.flatMap((from) =>
  ORDER_STATUSES.map((to): [OrderStatus, OrderStatus] => [from, to]),
);
const ILLEGAL = ALL_PAIRS.filter(([from, to]) => !LEGAL.some(([f, t]) => f === from && t === to));

describe('Function: assertTransition', () => {
  it.each(LEGAL)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(ILLEGAL)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('lists exactly the legal transitions as data', () => {
    const listed = Object.entries(TRANSITIONS).flatMap(([from, tos]) =>
      tos.map((to) => `${from}->${to}`),
    );
    expect(listed.sort()).toEqual(LEGAL.map(([f, t]) => `${f}->${t}`).sort());
  });
});

describe('Function: planTransition', () => {
  it.each(LEGAL)('applies %s -> %s', (from, to) => {
    expect(planTransition(from, to)).toBe('apply');
  });

  it.each(ORDER_STATUSES.map((s) => [s] as const))(
    'detects re-applying %s to itself as already done',
    (status) => {
      expect(planTransition(status, status)).toBe('already-done');
    },
  );

  it.each([
    ['SHIPPED', 'VALIDATED'],
    ['COMPLETED', 'CONFIRMED'],
    ['PAYMENT_CAPTURED', 'PAYMENT_AUTHORIZED'],
  ] as const)('treats an order at %s as already past %s', (current, target) => {
    expect(planTransition(current, target)).toBe('already-done');
  });

  it.each([
    ['FAILED', 'VALIDATED'],
    ['COMPLETED', 'FAILED'],
    ['PENDING', 'PAYMENT_CAPTURED'],
  ] as const)('refuses to take an order at %s to %s', (current, target) => {
    expect(() => planTransition(current, target)).toThrow(IllegalTransitionError);
  });
});

describe('Function: predecessorsOf / hasReached / isTerminal', () => {
  it('knows where an order can come from', () => {
    expect(predecessorsOf('VALIDATED')).toEqual(['PENDING']);
    expect(predecessorsOf('FAILED')).toEqual(
      ORDER_STATUSES.filter((s) => s !== 'COMPLETED' && s !== 'FAILED'),
    );
    expect(predecessorsOf('PAYMENT_AUTHORIZED')).toEqual(['VALIDATED', 'ACTION_REQUIRED']);
    expect(predecessorsOf('PENDING')).toEqual([]);
  });

  it('places the bank detour between VALIDATED and PAYMENT_AUTHORIZED, off the happy path', () => {
    expect(HAPPY_PATH).not.toContain('ACTION_REQUIRED');
    expect(hasReached('ACTION_REQUIRED', 'VALIDATED')).toBe(true);
    expect(hasReached('ACTION_REQUIRED', 'PAYMENT_AUTHORIZED')).toBe(false);
    expect(hasReached('PAYMENT_AUTHORIZED', 'ACTION_REQUIRED')).toBe(true);
    expect(hasReached('VALIDATED', 'ACTION_REQUIRED')).toBe(false);
  });

  it('treats FAILED as reaching nothing but itself', () => {
    expect(hasReached('FAILED', 'PENDING')).toBe(false);
    expect(hasReached('COMPLETED', 'FAILED')).toBe(false);
  });

  it.each(ORDER_STATUSES.map((s) => [s, s === 'COMPLETED' || s === 'FAILED'] as const))(
    'says %s is terminal: %s',
    (status, terminal) => {
      expect(isTerminal(status)).toBe(terminal);
    },
  );
});
