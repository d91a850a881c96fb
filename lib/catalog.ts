import { cache } from 'react';
import { BackendUnavailableError, loadBackend } from './amplify-config';
import { toApiError, type GraphQLErrorLike } from './api-errors';
import { queryCatalog, type CatalogPage, type CatalogParams } from './catalog-query';
import type { AmplifyOutputs } from './outputs';
import { toProduct } from './shape';
import type { Product } from './types';

const PRODUCT_FIELDS = 'id sku name description priceCents currency image stock active category';

const LIST_PRODUCTS = `query ListProducts($limit: Int, $nextToken: String) {
  listProducts(limit: $limit, nextToken: $nextToken) { items { ${PRODUCT_FIELDS} } nextToken }
}`;

const GET_PRODUCT = `query GetProduct($id: ID!) { getProduct(id: $id) { ${PRODUCT_FIELDS} } }`;

/** Runs a public (API key) GraphQL query against the backend named in amplify_outputs.json. */
async function publicQuery<T>(
  outputs: AmplifyOutputs,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const apiKey = outputs.data.api_key;
  if (!apiKey)
    throw new Error('amplify_outputs.json has no data.api_key: the catalog is read with it');
  const response = await fetch(outputs.data.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
    cache: 'no-store',
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
export const getAllProducts = cache(async (): Promise<Product[]> => {
  const outputs = await requireOutputs();
  const products: Product[] = [];
  let nextToken: string | null = null;
  do {
    const data: { listProducts: { items: unknown[]; nextToken: string | null } } =
      await publicQuery(outputs, LIST_PRODUCTS, { limit: 1000, nextToken });
    for (const item of data.listProducts.items) {
      const product = toProduct(item);
      if (product) products.push(product);
    }
    nextToken = data.listProducts.nextToken;
  } while (nextToken);
  return products;
});

/** One product by id; null when it does not exist. */
export const getProduct = cache(async (id: string): Promise<Product | null> => {
  const outputs = await requireOutputs();
  const data = await publicQuery<{ getProduct: unknown }>(outputs, GET_PRODUCT, { id });
  return data.getProduct ? toProduct(data.getProduct) : null;
});

/** The catalog page for a /products query string. */
export const getCatalogPage = async (params: CatalogParams): Promise<CatalogPage> =>
  queryCatalog(await getAllProducts(), params);

/** What the home page features: in-stock products, a few per category. */
export const getFeaturedProducts = async (count = 8): Promise<Product[]> => {
  const active = (await getAllProducts()).filter((p) => p.active && p.stock > 0);
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
