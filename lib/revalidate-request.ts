import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { productIdSchema } from './product-id';

/**
 * The storefront's revalidate call, as a commerce backend's webhook makes it: the backend tells the
 * storefront which products changed (stock taken by an order, an edit made elsewhere), and the
 * cached pages showing them are expired. Checked here, apart from the route, so every refusal is
 * unit-tested; the route (app/api/revalidate/route.ts) only reads the request and expires tags.
 */

/** Below this a shared secret is too easy to guess: the route then refuses every call. */
export const MIN_SECRET_LENGTH = 32;
/** A list of 100 product ids fits in a few KB; anything much larger is not a revalidate call. */
export const MAX_BODY_BYTES = 16 * 1024;

export const revalidateBodySchema = z.strictObject({
  productIds: z.array(productIdSchema).min(1).max(100),
});

export type RevalidateCheck = { ok: true; productIds: string[] } | Refusal;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares in constant time: both sides are hashed to 32 bytes first, so neither the secret's
 * length nor the position of the first wrong character changes how long the comparison takes.
 */
export const secretMatches = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

/** `Authorization: Bearer <secret>`; anything else is no secret at all. */
export const bearerToken = (authorization: string | null): string | null => {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(authorization ?? '');
  return match?.[1] ?? null;
};

type Refusal = { ok: false; status: 400 | 401 | 413 | 503; error: string };

/** Whether the caller holds the shared secret; checked before the body is read. */
export function checkSecret(
  /** The secret the storefront was started with (STOREFRONT_REVALIDATE_SECRET). */
  configuredSecret: string | undefined,
  authorization: string | null,
): { ok: true } | Refusal {
  const expected = configuredSecret ?? '';
  if (expected.length < MIN_SECRET_LENGTH) {
    return {
      ok: false,
      status: 503,
      error: `revalidation is off: STOREFRONT_REVALIDATE_SECRET is not set to ${MIN_SECRET_LENGTH}+ characters`,
    };
  }
  const given = bearerToken(authorization);
  if (given === null || !secretMatches(given, expected)) {
    return { ok: false, status: 401, error: 'missing or wrong secret' };
  }
  return { ok: true };
}

/** The product ids of a body read with readBodyUpTo (null: it was too large). */
export function parseRevalidateBody(body: string | null): RevalidateCheck {
  if (body === null) {
    return { ok: false, status: 413, error: `the body is over ${MAX_BODY_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, status: 400, error: 'the body is not JSON' };
  }
  const parsed = revalidateBodySchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, status: 400, error: z.prettifyError(parsed.error) };
  }
  return { ok: true, productIds: [...new Set(parsed.data.productIds)] };
}

/** Reads at most `limit` bytes of a body; null when there is more (the rest is not read). */
export async function readBodyUpTo(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
