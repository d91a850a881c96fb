import { BackendUnavailableError, loadBackend } from '@/lib/amplify-config';
import { getProduct } from '@/lib/catalog';
import { answerStockRequest } from '@/lib/stock-request';

/** GET /api/products/<id>/stock: see lib/product-stock.ts and lib/stock-request.ts. Never cached, by anyone. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const answer = await answerStockRequest(id, async (productId) => {
    const backend = await loadBackend();
    if (!backend.ok) throw new BackendUnavailableError(backend);
    return getProduct(productId);
  });
  return Response.json(answer.body, {
    status: answer.status,
    headers: { 'cache-control': 'no-store' },
  });
}
