import { z } from 'zod';
import type { Product } from './types';

export const SORTS = ['featured', 'price-asc', 'price-desc', 'name-asc', 'name-desc'] as const;
export type CatalogSort = (typeof SORTS)[number];
export const PAGE_SIZE = 12;

const firstValue = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** The catalog page's query string, parsed leniently: a bad value falls back to the default. */
export const catalogParamsSchema = z.object({
  q: z.preprocess(firstValue, z.string().trim().max(100).catch('')).default(''),
  category: z.preprocess(firstValue, z.string().trim().max(100).catch('')).default(''),
  sort: z.preprocess(firstValue, z.enum(SORTS).catch('featured')).default('featured'),
  page: z.preprocess(firstValue, z.coerce.number().int().min(1).max(10_000).catch(1)).default(1),
});

export type CatalogParams = z.infer<typeof catalogParamsSchema>;

/** The query string keys the catalog reads; /products with none of them is its prerendered view. */
export const CATALOG_PARAMS = Object.keys(catalogParamsSchema.shape) as (keyof CatalogParams)[];

export interface CatalogPage {
  products: Product[];
  total: number;
  page: number;
  pageCount: number;
  categories: string[];
}

const byName = (a: Product, b: Product) => a.name.localeCompare(b.name, 'en');

/** Filters, sorts and pages the active catalog: the whole of what /products shows. */
export const queryCatalog = (all: readonly Product[], params: CatalogParams): CatalogPage => {
  const active = all.filter((product) => product.active);
  const categories = [...new Set(active.map((product) => product.category))].sort();
  const needle = params.q.toLocaleLowerCase('en');
  const matching = active.filter(
    (product) =>
      (!params.category || product.category === params.category) &&
      (!needle || product.name.toLocaleLowerCase('en').includes(needle)),
  );
  const sorted = [...matching].sort((a, b) => {
    switch (params.sort) {
      case 'price-asc':
        return a.priceCents - b.priceCents || byName(a, b);
      case 'price-desc':
        return b.priceCents - a.priceCents || byName(a, b);
      case 'name-asc':
        return byName(a, b);
      case 'name-desc':
        return byName(b, a);
      default:
        // Featured: what is in stock first, then by name, so the page never opens on sold-out goods.
        return Number(b.stock > 0) - Number(a.stock > 0) || byName(a, b);
    }
  });
  const pageCount = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const page = Math.min(params.page, pageCount);
  const start = (page - 1) * PAGE_SIZE;
  return {
    products: sorted.slice(start, start + PAGE_SIZE),
    total: sorted.length,
    page,
    pageCount,
    categories,
  };
};

/** A /products URL with the given parameters changed, defaults left out. */
export const catalogHref = (params: CatalogParams, change: Partial<CatalogParams>): string => {
  const next = { ...params, page: 1, ...change };
  const search = new URLSearchParams();
  if (next.q) search.set('q', next.q);
  if (next.category) search.set('category', next.category);
  if (next.sort !== 'featured') search.set('sort', next.sort);
  if (next.page > 1) search.set('page', String(next.page));
  const query = search.toString();
  return query ? `/products?${query}` : '/products';
};
