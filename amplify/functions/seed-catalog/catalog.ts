import { createHash } from 'node:crypto';
// The demo catalog's one source, shared with the local backend's first-start seed (local/seed/).
import { CATALOG, imagePath } from '../../../local/seed/catalog';
import type { SeedProduct } from './seed';

/** The 25 products a fresh shop starts with; photos at the storefront's own /products/<id>.png. */
export const SEED_PRODUCTS: readonly SeedProduct[] = CATALOG.map((product) => ({
  id: product.id,
  sku: product.sku,
  name: product.name,
  description: product.description,
  priceCents: product.priceCents,
  category: product.category,
  stock: product.stock,
  image: imagePath(product),
}));

/** Names this catalog's content: it changes exactly when a product's seeded fields change. */
export const catalogVersion = (products: readonly SeedProduct[] = SEED_PRODUCTS): string =>
  createHash('sha256').update(JSON.stringify(products)).digest('hex').slice(0, 16);
