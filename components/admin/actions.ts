'use server';

import { updateTag } from 'next/cache';
import { z } from 'zod';
import { getProduct } from '@/lib/catalog';
import { CATALOG_TAG, cachedProduct, productTag } from '@/lib/catalog-cache';

const productIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);

/**
 * Called by the admin page after it saved a product through the API: the cached pages showing it
 * are expired when, and only when, the cached copy differs from the product as the backend has it.
 * Anyone may call a server action, so this never trusts the caller: at worst it costs one read of
 * the product, as a visit to its page does.
 */
export async function productChanged(id: unknown): Promise<{ expired: boolean }> {
  const parsed = productIdSchema.safeParse(id);
  if (!parsed.success) return { expired: false };
  const [live, cached] = await Promise.all([
    getProduct(parsed.data).catch(() => undefined),
    cachedProduct(parsed.data),
  ]);
  if (live === undefined) return { expired: false };
  if (cached.ok && JSON.stringify(cached.value) === JSON.stringify(live)) {
    return { expired: false };
  }
  updateTag(productTag(parsed.data));
  updateTag(CATALOG_TAG);
  return { expired: true };
}
