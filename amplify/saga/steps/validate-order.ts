import {
  throwIfInactiveProduct,
  throwIfInsufficientStock,
  throwIfPriceChanged,
  throwIfUnknownProduct,
} from '../../domain/catalog';
import { OrderError } from '../../domain/errors';
import type { CatalogProduct, Order } from '../../domain/order';
import { priceLines } from '../../domain/pricing';
import { loadProducts } from '../../functions/shared/orders';
import { defineStep } from '../step';

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

export interface ValidateOrderDeps {
  loadProducts(ids: readonly string[]): Promise<ReadonlyMap<string, CatalogProduct>>;
}

/** Checks every line is a known, active product at its ordered price with stock left; PENDING -> VALIDATED. */
export const validateOrder = defineStep({
  state: 'ValidateOrder',
  moves: 'VALIDATED',
  needs: { productTable: 'read', orderTable: true },
  timeoutSeconds: 15,
  dependencies: (): ValidateOrderDeps => ({ loadProducts }),
  async action(order, deps) {
    checkOrderAgainstCatalog(order, await deps.loadProducts(order.lines.map((l) => l.productId)));
  },
});
