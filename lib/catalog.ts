import { cache } from 'react';
import { BackendUnavailableError, loadBackend } from './amplify-config';
import { toApiError, type GraphQLErrorLike } from './api-errors';
import type { AmplifyOutputs } from './outputs';
import { toProduct } from './shape';
import type { Product } from './types';

const PRODUCT_FIELDS = 'id sku name description priceCents currency image stock active category';

export const LIST_PRODUCTS = `query ListProducts($limit: Int, $nextToken: String) {
  listProducts(limit: $limit, nextToken: $nextToken) { items { ${PRODUCT_FIELDS} } nextToken }
}`;

export const GET_PRODUCT = `query GetProduct($id: ID!) { getProduct(id: $id) { ${PRODUCT_FIELDS} } }`;

/**
 * Runs a public (API key) GraphQL query against the backend named in amplify_outputs.json.
 * `init` lets a cached read drop `no-store` and bound the wait.
 */
export async function publicQuery<T>(
  outputs: AmplifyOutputs,
  query: string,
  variables: Record<string, unknown>,
  init: Pick<RequestInit, 'cache' | 'signal'> = { cache: 'no-store' },
): Promise<T> {
  const apiKey = outputs.data.api_key;
  if (!apiKey)
    throw new Error('amplify_outputs.json has no data.api_key: the catalog is read with it');
  const response = await fetch(outputs.data.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
    ...init,
  });
  const body = (await response.json().catch(() => null)) as {
    data?: T;
    errors?: GraphQLErrorLike[];
  } | null;
  if (body?.errors?.length) throw toApiError(body.errors);
  if (!response.ok || !body?.data) {
    throw new Error(`The catalog API answered ${response.status} ${response.statusText}`);
  }
  return body.data;
}

const requireOutputs = async (): Promise<AmplifyOutputs> => {
  const result = await loadBackend();
  if (!result.ok) throw new BackendUnavailableError(result);
  return result.outputs;
};

/** Every product in the catalog, active or not (one request per 1,000 products). */
export async function listAllProducts(
  outputs: AmplifyOutputs,
  init?: Pick<RequestInit, 'cache' | 'signal'>,
): Promise<Product[]> {
  const products: Product[] = [];
  let nextToken: string | null = null;
  do {
    const data: { listProducts: { items: unknown[]; nextToken: string | null } } =
      await publicQuery(outputs, LIST_PRODUCTS, { limit: 1000, nextToken }, init);
    for (const item of data.listProducts.items) {
      const product = toProduct(item);
      if (product) products.push(product);
    }
    nextToken = data.listProducts.nextToken;
  } while (nextToken);
  return products;
}

/** Every product, read live for this request (the cart and checkout re-check with it). */
export const getAllProducts = cache(async (): Promise<Product[]> =>
  listAllProducts(await requireOutputs()),
);

/** One product by id, read live for this request (stock included); null when it does not exist. */
export const getProduct = cache(async (id: string): Promise<Product | null> => {
  const outputs = await requireOutputs();
  const data = await publicQuery<{ getProduct: unknown }>(outputs, GET_PRODUCT, { id });
  return data.getProduct ? toProduct(data.getProduct) : null;
});

/** What the home page features: in-stock products, a few per category. */
export const featuredProducts = (products: readonly Product[], count = 8): Product[] => {
  const active = products.filter((p) => p.active && p.stock > 0);
  const byCategory = new Map<string, Product[]>();
  for (const product of [...active].sort((a, b) => a.name.localeCompare(b.name))) {
    byCategory.set(product.category, [...(byCategory.get(product.category) ?? []), product]);
  }
  const featured: Product[] = [];
  // Round-robin over categories so the home page shows the range, not one aisle.
  for (let round = 0; featured.length < count && round < active.length; round++) {
    for (const list of byCategory.values()) {
      const pick = list[round];
      if (pick && featured.length < count) featured.push(pick);
    }
  }
  return featured;
};

/** Live price, stock and availability for the given product ids (for the cart and checkout). */
export const getAvailability = async (
  ids: readonly string[],
): Promise<Record<string, Product | null>> => {
  const unique = [...new Set(ids)].slice(0, 100);
  const entries = await Promise.all(unique.map(async (id) => [id, await getProduct(id)] as const));
  return Object.fromEntries(entries);
};
