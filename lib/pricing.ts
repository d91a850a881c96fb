import {
  FREE_SHIPPING_THRESHOLD_CENTS,
  priceLines,
  type OrderTotals,
} from '@/amplify/domain/pricing';

export { FREE_SHIPPING_THRESHOLD_CENTS, type OrderTotals };

/** Cart totals computed by the very function placeOrder uses on the server. */
export const cartTotals = (
  lines: readonly { priceCents: number; quantity: number }[],
): OrderTotals => {
  const priced = lines
    .filter((line) => line.quantity > 0)
    .map((line) => ({ unitPriceCents: line.priceCents, quantity: line.quantity }));
  return priceLines(priced);
};
