import { describe, expect, it } from 'vitest';
import { aCatalog, anOrder } from '../../domain/test-fixtures';
import { checkOrderAgainstCatalog } from './handler';

describe('Function: checkOrderAgainstCatalog', () => {
  it('accepts an order that still matches the catalog', () => {
    expect(() => checkOrderAgainstCatalog(anOrder(), aCatalog())).not.toThrow();
  });

  it.each([
    [
      'a product gone from the catalog',
      aCatalog({ id: 'p-mug', sku: 'MUG-1', name: 'Mug', priceCents: 1250 }),
      'PRODUCT_UNAVAILABLE',
    ],
    [
      'a product taken off sale',
      aCatalog(
        { id: 'p-mug', sku: 'MUG-1', name: 'Mug', priceCents: 1250 },
        { id: 'p-tee', priceCents: 2000, active: false },
      ),
      'PRODUCT_UNAVAILABLE',
    ],
    [
      'a changed price',
      aCatalog(
        { id: 'p-mug', sku: 'MUG-1', name: 'Mug', priceCents: 1300 },
        { id: 'p-tee', priceCents: 2000 },
      ),
      'PRICE_CHANGED',
    ],
    [
      'too little stock',
      aCatalog(
        { id: 'p-mug', sku: 'MUG-1', name: 'Mug', priceCents: 1250, stock: 1 },
        { id: 'p-tee', priceCents: 2000 },
      ),
      'OUT_OF_STOCK',
    ],
  ])('refuses %s', (_case, catalog, code) => {
    expect(() => checkOrderAgainstCatalog(anOrder(), catalog)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('refuses an order whose totals do not add up', () => {
    expect(() => checkOrderAgainstCatalog(anOrder({ totalCents: 1 }), aCatalog())).toThrow(
      /totals do not match/,
    );
  });
});
