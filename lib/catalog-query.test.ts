import { describe, expect, it } from 'vitest';
import { catalogHref, catalogParamsSchema, PAGE_SIZE, queryCatalog } from './catalog-query';
import type { Product } from './types';

const make = (i: number, over: Partial<Product> = {}): Product => ({
  id: `p${i}`,
  sku: `SKU${i}`,
  name: `Item ${String(i).padStart(2, '0')}`,
  description: '',
  priceCents: 1000 + i,
  currency: 'USD',
  image: '',
  stock: 5,
  active: true,
  category: i % 2 ? 'Trail' : 'Workshop',
  ...over,
});

const all = Array.from({ length: 30 }, (_, i) => make(i));

describe('Catalog: queryCatalog', () => {
  it('filters by category and by a case-insensitive name search', () => {
    const params = catalogParamsSchema.parse({ category: 'Trail', q: 'ITEM 1' });
    const page = queryCatalog(all, params);
    expect(page.products.every((p) => p.category === 'Trail' && p.name.startsWith('Item 1'))).toBe(
      true,
    );
    expect(page.total).toBe(5);
  });

  it('sorts by price both ways', () => {
    const up = queryCatalog(all, catalogParamsSchema.parse({ sort: 'price-asc' })).products;
    const down = queryCatalog(all, catalogParamsSchema.parse({ sort: 'price-desc' })).products;
    expect(up[0]?.priceCents).toBe(1000);
    expect(down[0]?.priceCents).toBe(1029);
  });

  it('pages, and clamps a page past the end to the last one', () => {
    const last = queryCatalog(all, catalogParamsSchema.parse({ page: '99' }));
    expect(last.pageCount).toBe(Math.ceil(30 / PAGE_SIZE));
    expect(last.page).toBe(last.pageCount);
    expect(last.products).toHaveLength(30 - PAGE_SIZE * (last.pageCount - 1));
  });

  it('hides inactive products and lists sold-out ones last when featured', () => {
    const products = [make(1, { active: false }), make(2, { stock: 0 }), make(3)];
    const page = queryCatalog(products, catalogParamsSchema.parse({}));
    expect(page.products.map((p) => p.id)).toEqual(['p3', 'p2']);
  });
});

describe('Catalog: parameters', () => {
  it('falls back to defaults for bad values instead of failing the page', () => {
    expect(catalogParamsSchema.parse({ sort: 'bogus', page: '-3', q: ['a', 'b'] })).toEqual({
      q: 'a',
      category: '',
      sort: 'featured',
      page: 1,
    });
  });

  it('builds links without default values, resetting the page', () => {
    const params = catalogParamsSchema.parse({ q: 'mug', page: '3' });
    expect(catalogHref(params, { sort: 'price-asc' })).toBe('/products?q=mug&sort=price-asc');
    expect(catalogHref(params, { q: '' })).toBe('/products');
  });
});
