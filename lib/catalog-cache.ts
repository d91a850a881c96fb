import { cacheLife, cacheTag } from 'next/cache';
import { readOutputsFile } from './amplify-config';
import { GET_PRODUCT, listAllProducts, publicQuery } from './catalog';
import type { OutputsResult } from './outputs';
import { toProduct } from './shape';
import type { Product } from './types';

/**
 * The catalog as every shopper sees it (names, prices, photos, descriptions), cached across
 * requests and, when a backend answers during `next build`, prerendered into the static pages.
 * Stock shown from these reads may be as old as the `catalog` cache profile allows (an order or an
 * admin's edit expires it by tag); the product page reads its stock again in the browser each
 * time it is shown (components/catalog/live-stock.tsx), and checkout and the saga re-check it.
 *
 * amplify_outputs.json is read inside the cached scope on purpose: the backend's address is not
 * known until the backend runs (its ports differ between `npm run dev`, the tests and the build
 * machine), and the catalog behind any of them is the same one. A read that fails (no outputs, a
 * backend that does not answer) is given a zero lifetime, which keeps it out of the prerender and
 * out of the cache: that part of the page is then rendered at request time instead.
 */

export const CATALOG_TAG = 'catalog';
export const productTag = (id: string): string => `product:${id}`;

/** A backend that does not answer within this during a build or a request is taken as down. */
const READ_TIMEOUT_MS = 5000;

export type CatalogRead<T> =
  { ok: true; value: T } | { ok: false; failure: Extract<OutputsResult, { ok: false }> };

async function cachedRead<T>(
  read: (outputs: Extract<OutputsResult, { ok: true }>['outputs']) => Promise<T>,
): Promise<CatalogRead<T>> {
  const outputs = await readOutputsFile();
  if (!outputs.ok) {
    cacheLife({ stale: 0, revalidate: 0, expire: 0 });
    return { ok: false, failure: outputs };
  }
  try {
    const value = await read(outputs.outputs);
    cacheLife('catalog');
    return { ok: true, value };
  } catch (error) {
    // A refused or silent connection is a backend that is not running; any other failure (a
    // GraphQL error, a 500) is a bug that should surface, so it is thrown.
    const cause = error instanceof Error ? error.cause : undefined;
    const unreachable =
      error instanceof Error &&
      (error.name === 'TimeoutError' ||
        error.name === 'AbortError' ||
        (error instanceof TypeError && error.message === 'fetch failed'));
    if (!unreachable) throw error;
    cacheLife({ stale: 0, revalidate: 0, expire: 0 });
    return {
      ok: false,
      failure: {
        ok: false,
        reason: 'unreachable',
        path: outputs.outputs.data.url,
        detail: String(cause ?? error),
      },
    };
  }
}

/** Every product, active or not. */
export async function cachedCatalog(): Promise<CatalogRead<Product[]>> {
  'use cache';
  cacheTag(CATALOG_TAG);
  return cachedRead((outputs) =>
    listAllProducts(outputs, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) }),
  );
}

/** One product; `value` is null when there is no such product. */
export async function cachedProduct(id: string): Promise<CatalogRead<Product | null>> {
  'use cache';
  cacheTag(productTag(id));
  return cachedRead(async (outputs) => {
    const data = await publicQuery<{ getProduct: unknown }>(
      outputs,
      GET_PRODUCT,
      { id },
      { signal: AbortSignal.timeout(READ_TIMEOUT_MS) },
    );
    return data.getProduct ? toProduct(data.getProduct) : null;
  });
}
