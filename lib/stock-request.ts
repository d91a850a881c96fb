import type { ProductStock } from './product-stock';
import { productIdSchema } from './product-id';
import type { Product } from './types';

export type StockAnswer =
  { status: 200; body: ProductStock } | { status: 400 | 404 | 502 | 503; body: { error: string } };

/**
 * What the route answers for `id`, given a way to read the product (null: there is none; a
 * BackendUnavailableError: no backend to ask).
 */
export async function answerStockRequest(
  id: string,
  readProduct: (id: string) => Promise<Product | null>,
): Promise<StockAnswer> {
  const parsed = productIdSchema.safeParse(id);
  if (!parsed.success) return { status: 400, body: { error: 'not a product id' } };
  let product: Product | null;
  try {
    product = await readProduct(parsed.data);
  } catch (error) {
    // Why stays on the server (paths, addresses); the browser only needs to know to keep what the
    // page showed.
    if (error instanceof Error && error.name === 'BackendUnavailableError') {
      return { status: 503, body: { error: 'the shop’s backend is not running' } };
    }
    console.error(`reading the stock of ${parsed.data} failed:`, error);
    return { status: 502, body: { error: 'the catalog could not be read' } };
  }
  if (!product) return { status: 404, body: { error: 'no such product' } };
  return {
    status: 200,
    body: {
      productId: product.id,
      stock: product.active ? Math.max(0, product.stock) : 0,
      active: product.active,
    },
  };
}
