import { IllegalTransitionError } from './errors';
import { ORDER_STATUSES, type OrderStatus } from './order';

/**
 * Statuses an order passes only sometimes, each with the happy-path status it leaves from:
 * ACTION_REQUIRED while the shopper's bank asks the shopper to confirm the payment.
 */
export const DETOURS: Readonly<Partial<Record<OrderStatus, OrderStatus>>> = {
  ACTION_REQUIRED: 'VALIDATED',
};

/** The happy path: every status but FAILED and the detours, in order; each moves only to the next (or to FAILED). */
export const HAPPY_PATH: readonly OrderStatus[] = ORDER_STATUSES.filter(
  (status) => status !== 'FAILED' && !(status in DETOURS),
);

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'FAILED'];

export const isTerminal = (status: OrderStatus): boolean => TERMINAL_STATUSES.includes(status);

/** Every legal transition, as data: the next happy-path status, and FAILED from any non-terminal one. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['VALIDATED', 'FAILED'],
  VALIDATED: ['PAYMENT_AUTHORIZED', 'ACTION_REQUIRED', 'FAILED'],
  ACTION_REQUIRED: ['PAYMENT_AUTHORIZED', 'FAILED'],
  PAYMENT_AUTHORIZED: ['INVENTORY_RESERVED', 'FAILED'],
  INVENTORY_RESERVED: ['PAYMENT_CAPTURED', 'FAILED'],
  PAYMENT_CAPTURED: ['RECEIPT_READY', 'FAILED'],
  RECEIPT_READY: ['CONFIRMED', 'FAILED'],
  CONFIRMED: ['SHIPPED', 'FAILED'],
  SHIPPED: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  FAILED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean =>
  TRANSITIONS[from].includes(to);

/** Refuses a transition the machine does not allow. */
export const assertTransition = (from: OrderStatus, to: OrderStatus): void => {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
};

/** The statuses an order may be in right before `to`. */
export const predecessorsOf = (to: OrderStatus): OrderStatus[] =>
  ORDER_STATUSES.filter((from) => canTransition(from, to));

/** True when an order at `current` has already reached (or gone past, on the happy path) `target`. */
export const hasReached = (current: OrderStatus, target: OrderStatus): boolean => {
  if (current === target) return true;
  if (current === 'FAILED' || target === 'FAILED') return false;
  return rankOf(current) > rankOf(target);
};

/** Where a status sits on the happy path; a detour sits just after the status it leaves from. */
const rankOf = (status: OrderStatus): number => {
  const from = DETOURS[status];
  return from ? HAPPY_PATH.indexOf(from) + 0.5 : HAPPY_PATH.indexOf(status);
};

export type TransitionPlan = 'apply' | 'already-done';

/**
 * What to do to bring an order at `current` to `target`: apply the change, or nothing because a
 * previous attempt already did it (idempotent re-application); an illegal move throws.
 */
export const planTransition = (current: OrderStatus, target: OrderStatus): TransitionPlan => {
  if (hasReached(current, target)) return 'already-done';
  assertTransition(current, target);
  return 'apply';
};
