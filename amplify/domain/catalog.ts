import { OrderValidationError, OutOfStockError } from './errors';
import type { CatalogProduct, OrderLine } from './order';
import type { RequestedLine } from './order-input';

/** Catalog rules as throwIfX checks; each names the line at fault. */

type Catalog = ReadonlyMap<string, CatalogProduct>;
type ProductFault = 'INVALID_ORDER' | 'PRODUCT_UNAVAILABLE';

/** Every line must name a product the catalog knows. */
export const throwIfUnknownProduct = (
  lines: readonly RequestedLine[],
  catalog: Catalog,
  code: ProductFault = 'INVALID_ORDER',
): void => {
  lines.forEach((line, index) => {
    if (!catalog.has(line.productId)) {
      throw new OrderValidationError(
        code,
        `lines[${index}].productId ${line.productId} is not in the catalog`,
        { field: `lines[${index}].productId` },
      );
    }
  });
};

/** Every line's product must be on sale (active). */
export const throwIfInactiveProduct = (
  lines: readonly RequestedLine[],
  catalog: Catalog,
  code: ProductFault = 'INVALID_ORDER',
): void => {
  lines.forEach((line, index) => {
    const product = catalog.get(line.productId);
    if (product && !product.active) {
      throw new OrderValidationError(
        code,
        `lines[${index}].productId ${line.productId} (${product.name}) is no longer available`,
        { field: `lines[${index}].productId` },
      );
    }
  });
};

/** One order, one currency: every product must be priced in the same currency. */
export const throwIfMixedCurrency = (lines: readonly RequestedLine[], catalog: Catalog): void => {
  const first = catalog.get(lines[0]?.productId ?? '')?.currency.toLowerCase();
  lines.forEach((line, index) => {
    const currency = catalog.get(line.productId)?.currency.toLowerCase();
    if (currency && first && currency !== first) {
      throw new OrderValidationError(
        'INVALID_ORDER',
        `lines[${index}].productId ${line.productId} is priced in ${currency}, the rest of the order in ${first}`,
        { field: `lines[${index}].productId` },
      );
    }
  });
};

/** A snapshot stock check; the conditional reservation stays the authority. */
export const throwIfInsufficientStock = (
  lines: readonly RequestedLine[],
  catalog: Catalog,
): void => {
  const short = lines.filter((line) => (catalog.get(line.productId)?.stock ?? 0) < line.quantity);
  if (short.length > 0) {
    const list = short
      .map(
        (line) =>
          `${line.productId} (wanted ${line.quantity}, ${catalog.get(line.productId)?.stock ?? 0} left)`,
      )
      .join(', ');
    throw new OutOfStockError(`not enough stock for ${list}`);
  }
};

/** The price an order was given must still be the catalog's price when the workflow checks it. */
export const throwIfPriceChanged = (lines: readonly OrderLine[], catalog: Catalog): void => {
  lines.forEach((line, index) => {
    const product = catalog.get(line.productId);
    if (product && product.priceCents !== line.unitPriceCents) {
      throw new OrderValidationError(
        'PRICE_CHANGED',
        `lines[${index}] ${line.productId} was ordered at ${line.unitPriceCents} cents, the catalog now says ${product.priceCents}`,
        { field: `lines[${index}].unitPriceCents` },
      );
    }
  });
};

/** Order lines priced from the catalog (the client's prices are never read). */
export const priceFromCatalog = (lines: readonly RequestedLine[], catalog: Catalog): OrderLine[] =>
  lines.map((line) => {
    const product = catalog.get(line.productId);
    if (!product)
      throw new OrderValidationError('INVALID_ORDER', `${line.productId} is not in the catalog`);
    return {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      unitPriceCents: product.priceCents,
      quantity: line.quantity,
    };
  });

/** All the placing-time checks: known, active, one currency. */
export const checkOrderableLines = (lines: readonly RequestedLine[], catalog: Catalog): void => {
  throwIfUnknownProduct(lines, catalog);
  throwIfInactiveProduct(lines, catalog);
  throwIfMixedCurrency(lines, catalog);
};
