import {
  throwIfInactiveProduct,
  throwIfInsufficientStock,
  throwIfPriceChanged,
  throwIfUnknownProduct,
} from '../../domain/catalog';
import { OrderError } from '../../domain/errors';
import type { CatalogProduct, Order } from '../../domain/order';
import { priceLines } from '../../domain/pricing';
import { hasReached } from '../../domain/status';
import { parseStepInput } from '../shared/events';
import { advanceOrder, getOrder, loadProducts } from '../shared/orders';

/** The workflow's checks on a stored order against today's catalog; throws the first rule broken. */
export const checkOrderAgainstCatalog = (
  order: Order,
  catalog: ReadonlyMap<string, CatalogProduct>,
): void => {
  throwIfUnknownProduct(order.lines, catalog, 'PRODUCT_UNAVAILABLE');
  throwIfInactiveProduct(order.lines, catalog, 'PRODUCT_UNAVAILABLE');
  throwIfPriceChanged(order.lines, catalog);
  const totals = priceLines(order.lines);
  if (
    totals.subtotalCents !== order.subtotalCents ||
    totals.taxCents !== order.taxCents ||
    totals.shippingCents !== order.shippingCents ||
    totals.totalCents !== order.totalCents
  ) {
    throw new OrderError('INTERNAL', `order ${order.id} totals do not match its lines`);
  }
  throwIfInsufficientStock(order.lines, catalog);
};

/** Workflow step: checks every line is a known, active product at its ordered price with stock left; PENDING -> VALIDATED. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'VALIDATED')) return { orderId };
  checkOrderAgainstCatalog(order, await loadProducts(order.lines.map((line) => line.productId)));
  await advanceOrder({ orderId, to: 'VALIDATED' });
  return { orderId };
};
