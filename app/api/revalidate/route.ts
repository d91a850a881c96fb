import { revalidateTag } from 'next/cache';
import { CATALOG_TAG, productTag } from '@/lib/catalog-cache';
import { serverEnv } from '@/lib/env';
import {
  checkSecret,
  MAX_BODY_BYTES,
  parseRevalidateBody,
  readBodyUpTo,
} from '@/lib/revalidate-request';

/**
 * POST /api/revalidate, `Authorization: Bearer <STOREFRONT_REVALIDATE_SECRET>`,
 * `{"productIds": ["..."]}`: the backend says these products changed; their pages and the catalog
 * are expired so the next visit reads them again.
 */
export async function POST(request: Request): Promise<Response> {
  // The secret is checked before the body is read: an unauthenticated caller costs one hash.
  const secret = checkSecret(
    serverEnv().STOREFRONT_REVALIDATE_SECRET,
    request.headers.get('authorization'),
  );
  if (!secret.ok) return refuse(secret.status, secret.error);
  const check = parseRevalidateBody(await readBodyUpTo(request, MAX_BODY_BYTES));
  if (!check.ok) return refuse(check.status, check.error);
  // Expired at once, not served stale once more: a shopper who just bought the last unit should
  // not see it offered on the next page.
  for (const id of check.productIds) revalidateTag(productTag(id), { expire: 0 });
  revalidateTag(CATALOG_TAG, { expire: 0 });
  return Response.json({ revalidated: check.productIds });
}

const refuse = (status: number, error: string): Response =>
  Response.json({ error }, { status, headers: { 'cache-control': 'no-store' } });
