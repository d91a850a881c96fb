'use server';

import { updateTag } from 'next/cache';
import { getProduct } from '@/lib/catalog';
import { CATALOG_TAG, cachedCatalog, cachedProduct, productTag } from '@/lib/catalog-cache';
import { productIdSchema } from '@/lib/product-id';

/**
 * Called by the admin page after it saved a product through the API: the cached pages showing it
 * are expired when, and only when, a cached copy (the product's own, or its entry in the cached
 * catalog the grids show) differs from the product as the backend has it. Both are compared: the
 * product's own copy may have been cached after the save while the grid's is still older.
 * Anyone may call a server action, so this never trusts the caller: at worst it costs one read of
 * the product, as a visit to its page does.
 */
export async function productChanged(id: unknown): Promise<{ expired: boolean }> {
  const parsed = productIdSchema.safeParse(id);
  if (!parsed.success) return { expired: false };
  const productId = parsed.data;
  const [live, cachedOne, cachedAll] = await Promise.all([
    getProduct(productId).catch(() => undefined),
    cachedProduct(productId),
    cachedCatalog(),
  ]);
  if (live === undefined) return { expired: false };
  const same = (copy: unknown): boolean => JSON.stringify(copy) === JSON.stringify(live);
  const productStale = !(cachedOne.ok && same(cachedOne.value));
  const gridStale = !(
    cachedAll.ok && same(cachedAll.value.find((product) => product.id === productId) ?? null)
  );
  if (productStale) updateTag(productTag(productId));
  if (productStale || gridStale) updateTag(CATALOG_TAG);
  return { expired: productStale || gridStale };
}
