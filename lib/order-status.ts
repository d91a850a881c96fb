import { SHOPPER_MESSAGES, isOrderErrorCode } from '@/amplify/domain/errors';
import { HAPPY_PATH } from '@/amplify/domain/status';
import type { Order, OrderStatus } from './types';

export { HAPPY_PATH };

/** Each status in the shopper's words. */
export const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  PENDING: 'Order received',
  VALIDATED: 'Order checked',
  ACTION_REQUIRED: 'Waiting for your bank',
  PAYMENT_AUTHORIZED: 'Payment authorized',
  INVENTORY_RESERVED: 'Items reserved',
  PAYMENT_CAPTURED: 'Payment taken',
  RECEIPT_READY: 'Receipt ready',
  CONFIRMED: 'Order confirmed',
  SHIPPED: 'Shipped',
  COMPLETED: 'Completed',
  FAILED: 'Order failed',
};

/** The shopper's explanation of a failed order: the stored reason, else the code's message. */
export const failureExplanation = (order: Pick<Order, 'failureCode' | 'failureReason'>): string => {
  if (order.failureReason) return order.failureReason;
  if (isOrderErrorCode(order.failureCode)) return SHOPPER_MESSAGES[order.failureCode];
  return SHOPPER_MESSAGES.INTERNAL;
};

/**
 * Where a failed order leaves the shopper: the next thing to do. A refused payment goes back to
 * checkout with the order's lines and address (a new order, so prices and stock are checked again).
 */
export const failureNextStep = (
  order: Pick<Order, 'id' | 'failureCode'>,
): { label: string; href: string } => {
  switch (order.failureCode) {
    case 'PAYMENT_DECLINED':
    case 'INSUFFICIENT_FUNDS':
    case 'PAYMENT_FAILED':
    case 'PAYMENT_NOT_CONFIRMED':
      return { label: 'Try another card', href: `/checkout?retry=${encodeURIComponent(order.id)}` };
    case 'OUT_OF_STOCK':
    case 'PRODUCT_UNAVAILABLE':
    case 'PRICE_CHANGED':
      return { label: 'Review your cart', href: '/cart' };
    default:
      return { label: 'Back to the shop', href: '/products' };
  }
};

export const isFinished = (status: OrderStatus): boolean =>
  status === 'COMPLETED' || status === 'FAILED';

// Statuses have colours of their own: amber is kept for stock warnings ("Only 2 left"), so an
// order in progress never reads as a warning. Slate: received; sky: being processed; indigo: on
// its way; brand green: done; red: failed.
const RECEIVED = 'bg-slate-100 text-slate-700 ring-slate-200';
const IN_PROGRESS = 'bg-sky-50 text-sky-800 ring-sky-200';
const TONE: Readonly<Record<OrderStatus, string>> = {
  PENDING: RECEIVED,
  VALIDATED: RECEIVED,
  // The one status that waits on the shopper: it asks for attention without reading as a failure.
  ACTION_REQUIRED: 'bg-violet-50 text-violet-800 ring-violet-200',
  PAYMENT_AUTHORIZED: IN_PROGRESS,
  INVENTORY_RESERVED: IN_PROGRESS,
  PAYMENT_CAPTURED: IN_PROGRESS,
  RECEIPT_READY: IN_PROGRESS,
  CONFIRMED: IN_PROGRESS,
  SHIPPED: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  COMPLETED: 'bg-brand-50 text-brand-700 ring-brand-100',
  FAILED: 'bg-red-50 text-red-800 ring-red-200',
};

/** Tailwind classes for a status badge. */
export const statusTone = (status: OrderStatus): string => TONE[status];
