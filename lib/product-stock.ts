/**
 * GET /api/products/<id>/stock: a product's stock as the backend has it now. The product page is
 * prerendered and cached, and a page a shopper has seen stays in their router for minutes; the
 * page asks this each time it is shown, so what it offers is never older than the visit. This
 * file is what the browser needs (no zod); lib/stock-request.ts answers on the server.
 */
export interface ProductStock {
  productId: string;
  /** 0 when the product is no longer sold. */
  stock: number;
  active: boolean;
}

/** The route's answer as the browser reads it; null for anything that is not one. */
export function readProductStock(json: unknown, productId: string): ProductStock | null {
  if (typeof json !== 'object' || json === null) return null;
  const { productId: id, stock, active } = json as Record<string, unknown>;
  if (id !== productId || typeof active !== 'boolean') return null;
  if (typeof stock !== 'number' || !Number.isSafeInteger(stock) || stock < 0) return null;
  return { productId: id, stock, active };
}

export const stockPath = (productId: string): string =>
  `/api/products/${encodeURIComponent(productId)}/stock`;
