import { describe, expect, it } from 'vitest';
import {
  checkOrderableLines,
  priceFromCatalog,
  throwIfInactiveProduct,
  throwIfInsufficientStock,
  throwIfMixedCurrency,
  throwIfPriceChanged,
  throwIfUnknownProduct,
} from './catalog';
import { OrderError, OrderValidationError, OutOfStockError } from './errors';
import { aCatalog } from './test-fixtures';

const catch_ = (fn: () => void): OrderError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof OrderError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('Function: throwIfUnknownProduct', () => {
  it('names the line whose product the catalog does not know', () => {
    const error = catch_(() =>
      throwIfUnknownProduct(
        [
          { productId: 'p-mug', quantity: 1 },
          { productId: 'p-ghost', quantity: 1 },
        ],
        aCatalog(),
      ),
    );
    expect(error).toBeInstanceOf(OrderValidationError);
    expect(error).toMatchObject({ code: 'INVALID_ORDER', field: 'lines[1].productId' });
    expect(error.message).toContain('p-ghost');
  });

  it('reports PRODUCT_UNAVAILABLE when the workflow finds it gone', () => {
    const error = catch_(() =>
      throwIfUnknownProduct(
        [{ productId: 'p-ghost', quantity: 1 }],
        aCatalog(),
        'PRODUCT_UNAVAILABLE',
      ),
    );
    expect(error.code).toBe('PRODUCT_UNAVAILABLE');
  });

  it('accepts known products', () => {
    expect(() =>
      throwIfUnknownProduct([{ productId: 'p-mug', quantity: 1 }], aCatalog()),
    ).not.toThrow();
  });
});

describe('Function: throwIfInactiveProduct', () => {
  it('names the line whose product is no longer on sale', () => {
    const catalog = aCatalog(
      { id: 'p-mug', active: true },
      { id: 'p-old', name: 'Old mug', active: false },
    );
    const error = catch_(() =>
      throwIfInactiveProduct(
        [
          { productId: 'p-mug', quantity: 1 },
          { productId: 'p-old', quantity: 1 },
        ],
        catalog,
      ),
    );
    expect(error).toMatchObject({ code: 'INVALID_ORDER', field: 'lines[1].productId' });
    expect(error.message).toContain('Old mug');
  });
});

describe('Function: throwIfMixedCurrency', () => {
  it('refuses an order priced in two currencies', () => {
    const catalog = aCatalog({ id: 'a', currency: 'usd' }, { id: 'b', currency: 'EUR' });
    const error = catch_(() =>
      throwIfMixedCurrency(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'b', quantity: 1 },
        ],
        catalog,
      ),
    );
    expect(error).toMatchObject({ code: 'INVALID_ORDER', field: 'lines[1].productId' });
  });

  it('ignores the case of currency codes', () => {
    const catalog = aCatalog({ id: 'a', currency: 'usd' }, { id: 'b', currency: 'USD' });
    expect(() =>
      throwIfMixedCurrency(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'b', quantity: 1 },
        ],
        catalog,
      ),
    ).not.toThrow();
  });
});

describe('Function: throwIfInsufficientStock', () => {
  it.each([
    [3, 3, false],
    [4, 3, true],
    [1, 0, true],
  ])('wanting %i with %i left refuses: %s', (wanted, left, refused) => {
    const check = () =>
      throwIfInsufficientStock(
        [{ productId: 'a', quantity: wanted }],
        aCatalog({ id: 'a', stock: left }),
      );
    if (refused) expect(check).toThrow(OutOfStockError);
    else expect(check).not.toThrow();
  });
});

describe('Function: throwIfPriceChanged', () => {
  it('refuses a line whose catalog price moved since the order was placed', () => {
    const error = catch_(() =>
      throwIfPriceChanged(
        [{ productId: 'a', sku: 'A', name: 'A', unitPriceCents: 1000, quantity: 1 }],
        aCatalog({ id: 'a', priceCents: 1100 }),
      ),
    );
    expect(error).toMatchObject({
      code: 'PRICE_CHANGED',
      name: 'OrderValidationError',
      field: 'lines[0].unitPriceCents',
    });
  });
});

describe('Function: priceFromCatalog', () => {
  it('prices lines from the catalog only', () => {
    const lines = priceFromCatalog([{ productId: 'p-mug', quantity: 3 }], aCatalog());
    expect(lines).toEqual([
      { productId: 'p-mug', sku: 'MUG-1', name: 'Mug', unitPriceCents: 1250, quantity: 3 },
    ]);
  });
});

describe('Function: checkOrderableLines', () => {
  it('accepts known, active products in one currency', () => {
    expect(() =>
      checkOrderableLines(
        [
          { productId: 'p-mug', quantity: 1 },
          { productId: 'p-tee', quantity: 2 },
        ],
        aCatalog(),
      ),
    ).not.toThrow();
  });
});
