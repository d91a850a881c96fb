import { describe, expect, it } from 'vitest';
import { aCatalog, anOrder } from '../../domain/test-fixtures';
import { checkOrderAgainstCatalog, validateOrder } from './validate-order';

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

describe('Step: validateOrder', () => {
  it("loads the order's products and accepts an order that still matches them", async () => {
    // Prepare
    const asked: (readonly string[])[] = [];
    const deps = {
      loadProducts: async (ids: readonly string[]) => {
        asked.push(ids);
        return aCatalog();
      },
    };
    // Act
    const patch = await validateOrder.action(anOrder(), deps);
    // Assess
    expect(patch).toBeUndefined();
    expect(asked).toEqual([['p-mug', 'p-tee']]);
  });

  it('refuses an order whose product is gone', async () => {
    const deps = { loadProducts: async () => aCatalog({ id: 'p-mug', priceCents: 1250 }) };
    await expect(validateOrder.action(anOrder(), deps)).rejects.toMatchObject({
      code: 'PRODUCT_UNAVAILABLE',
    });
  });
});
