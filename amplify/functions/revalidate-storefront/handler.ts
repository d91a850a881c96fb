import { z } from 'zod';
import { readEnv } from '../shared/env';
import { logger, observed } from '../shared/observability';

/** The storefront answers a revalidate call in milliseconds; one that takes longer is not waited for. */
export const STOREFRONT_TIMEOUT_MS = 3000;
/** The storefront's route takes at most 100 ids a call (lib/revalidate-request.ts). */
export const MAX_IDS_PER_CALL = 100;
// The storefront's own id rule: an id it would refuse is not sent (it would refuse the whole call).
const PRODUCT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

const snsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })),
});
const stockNewsSchema = z.object({ productIds: z.array(z.unknown()) });

/** The product ids the order events in an SNS delivery name, each once; anything else is ignored. */
export const changedProductIds = (event: unknown): string[] => {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) return [];
  const ids = new Set<string>();
  for (const record of parsed.data.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.Sns.Message);
    } catch {
      continue;
    }
    const news = stockNewsSchema.safeParse(body);
    if (!news.success) continue;
    for (const id of news.data.productIds)
      if (typeof id === 'string' && PRODUCT_ID.test(id)) ids.add(id);
  }
  return [...ids];
};

export interface RevalidateStorefrontDeps {
  /** The storefront's base URL (STOREFRONT_URL). */
  storefrontUrl: string;
  /** The secret the storefront's /api/revalidate checks (STOREFRONT_REVALIDATE_SECRET). */
  secret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  log: (entry: Record<string, unknown>) => void;
}

/** What one call to the storefront came to: `status` when it answered, `error` when it did not. */
export interface StorefrontAnswer {
  productIds: string[];
  status?: number;
  error?: string;
}

/**
 * Tells the storefront which products changed, in calls of at most 100 ids. Never throws: a
 * storefront that is down, refuses the secret or is slow is logged and left; an order's saga does
 * not wait on it (SNS delivers after the fact) and the cached pages expire on their own.
 */
export const revalidateStorefrontWith =
  (deps: RevalidateStorefrontDeps) =>
  async (event: unknown): Promise<StorefrontAnswer[]> => {
    const productIds = changedProductIds(event);
    const answers: StorefrontAnswer[] = [];
    for (let start = 0; start < productIds.length; start += MAX_IDS_PER_CALL) {
      const batch = productIds.slice(start, start + MAX_IDS_PER_CALL);
      answers.push(await tell(deps, batch));
    }
    for (const answer of answers) {
      const told = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
      deps.log({ event: told ? 'StorefrontRevalidated' : 'StorefrontNotTold', ...answer });
    }
    return answers;
  };

const tell = async (
  deps: RevalidateStorefrontDeps,
  productIds: string[],
): Promise<StorefrontAnswer> => {
  try {
    const response = await deps.fetch(new URL('/api/revalidate', deps.storefrontUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ productIds }),
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
    // The body is not needed; reading it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return { productIds, status: response.status };
  } catch (error) {
    return { productIds, error: error instanceof Error ? error.message : String(error) };
  }
};

/** Subscribed to OrderEvents and OrderErrors (backend.ts). */
export const handler = observed(async (event: unknown): Promise<StorefrontAnswer[]> => {
  // StorefrontNotTold is for the operator (a WARN line); StorefrontRevalidated is routine.
  const log = (entry: Record<string, unknown>) =>
    entry['event'] === 'StorefrontNotTold'
      ? logger.warn('StorefrontNotTold', entry)
      : logger.info(String(entry['event'] ?? 'storefront told'), entry);
  let env: { STOREFRONT_URL: string; STOREFRONT_REVALIDATE_SECRET: string };
  try {
    env = readEnv(['STOREFRONT_URL', 'STOREFRONT_REVALIDATE_SECRET']);
  } catch (error) {
    // A misconfigured webhook must not turn into retried deliveries: log it for the operator.
    log({ event: 'StorefrontNotTold', error: (error as Error).message });
    return [];
  }
  return revalidateStorefrontWith({
    storefrontUrl: env.STOREFRONT_URL,
    secret: env.STOREFRONT_REVALIDATE_SECRET,
    fetch,
    timeoutMs: STOREFRONT_TIMEOUT_MS,
    log,
  })(event);
});
