import type { OrderLine } from './order';

/**
 * The products whose stock an order event changes, carried in the event's body as `productIds` so
 * that a subscriber (the storefront's revalidation) needs no read of its own. Each id once.
 */
export const productIdsOf = (lines: readonly Pick<OrderLine, 'productId'>[]): string[] => [
  ...new Set(lines.map((line) => line.productId)),
];
