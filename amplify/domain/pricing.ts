import type { OrderLine } from './order';

/**
 * The storefront's pricing rules, all of them, in integer cents:
 * - subtotal: the sum of unit price x quantity over the lines, unit prices from the catalog;
 * - tax: 8.25% of the subtotal (TAX_RATE_BASIS_POINTS = 825), rounded half up to the cent
 *   (e.g. 1000 -> 82.5 -> 83; 1999 -> 164.9175 -> 165);
 * - shipping: a flat 599 under a 5000 subtotal, free from 5000 up;
 * - total: subtotal + tax + shipping.
 */
export const TAX_RATE_BASIS_POINTS = 825;
export const FREE_SHIPPING_THRESHOLD_CENTS = 5000;
export const FLAT_SHIPPING_CENTS = 599;

export interface OrderTotals {
  subtotalCents: number;
  taxCents: number;
  shippingCents: number;
  totalCents: number;
}

const assertCents = (value: number, what: string): void => {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative whole number of cents, got ${value}`);
  }
};

/** Tax on a subtotal: 8.25%, rounded half up, computed in integers so no float drift. */
export const taxFor = (subtotalCents: number): number => {
  assertCents(subtotalCents, 'subtotal');
  return Math.floor((subtotalCents * TAX_RATE_BASIS_POINTS + 5000) / 10000);
};

/** Shipping on a subtotal: 599 under 5000, free from 5000. */
export const shippingFor = (subtotalCents: number): number => {
  assertCents(subtotalCents, 'subtotal');
  return subtotalCents < FREE_SHIPPING_THRESHOLD_CENTS ? FLAT_SHIPPING_CENTS : 0;
};

/** Totals of priced lines. */
export const priceLines = (
  lines: readonly Pick<OrderLine, 'unitPriceCents' | 'quantity'>[],
): OrderTotals => {
  let subtotalCents = 0;
  for (const line of lines) {
    assertCents(line.unitPriceCents, 'unit price');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new RangeError(`quantity must be a positive whole number, got ${line.quantity}`);
    }
    subtotalCents += line.unitPriceCents * line.quantity;
  }
  assertCents(subtotalCents, 'subtotal');
  const taxCents = taxFor(subtotalCents);
  const shippingCents = shippingFor(subtotalCents);
  return {
    subtotalCents,
    taxCents,
    shippingCents,
    totalCents: subtotalCents + taxCents + shippingCents,
  };
};

/** Formats cents for people, e.g. 123456 USD -> "$1,234.56". */
export const formatMoney = (cents: number, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    cents / 100,
  );
