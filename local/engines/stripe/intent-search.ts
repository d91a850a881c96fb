/** PaymentIntent search: Stripe's query language over the stored intents, newest first. */
import { z } from 'zod';
import type { FormValue } from './form';
import { compileSearch, SearchQueryError } from './search';
import { invalid, amountSchema, parse, type Route } from './model';
import type { Ledger } from './ledger';

/** GET /v1/payment_intents/search. */
export function paymentIntentSearch(ledger: Ledger): Route[] {
  const { intents } = ledger;
  const searchSchema = z
    .object({
      query: z.string(),
      limit: amountSchema('limit').optional(),
      page: z.string().optional(),
      expand: z.array(z.string()).optional(),
    })
    .strict();
  /** The PaymentIntent fields Stripe's search takes besides metadata (its documented query fields). */
  const SEARCH_FIELDS = {
    amount: 'numeric',
    created: 'numeric',
    currency: 'string',
    customer: 'string',
    status: 'string',
  } as const;
  const invalidQuery = (message: string) => invalid(message, 'query');

  /** Stripe's search_result page: newest first; `next_page` is an opaque cursor (here, an offset). */
  const searchIntents = (params: Record<string, FormValue>) => {
    const input = parse(searchSchema, params);
    const limit = input.limit ?? 10;
    if (limit < 1 || limit > 100)
      throw invalid('Limit must be between 1 and 100.', 'limit', 'parameter_invalid_integer');
    let offset = 0;
    if (input.page !== undefined) {
      const cursor = /^page_(\d+)$/.exec(Buffer.from(input.page, 'base64url').toString('utf8'));
      if (!cursor) throw invalid(`Invalid page: '${input.page}'.`, 'page');
      offset = Number(cursor[1]);
    }
    let test;
    try {
      test = compileSearch(input.query, SEARCH_FIELDS);
    } catch (error) {
      if (error instanceof SearchQueryError) throw invalidQuery(`Invalid query: ${error.message}.`);
      throw error;
    }
    // Map order is creation order; newest first, as Stripe sorts search results.
    const hits = [...intents.values()].reverse().filter((intent) => test(intent));
    const data = hits.slice(offset, offset + limit);
    const hasMore = offset + limit < hits.length;
    return {
      object: 'search_result',
      url: '/v1/payment_intents/search',
      has_more: hasMore,
      data,
      next_page: hasMore
        ? Buffer.from(`page_${offset + limit}`, 'utf8').toString('base64url')
        : null,
      ...(input.expand?.includes('total_count') ? { total_count: hits.length } : {}),
    };
  };

  return [
    {
      method: 'GET',
      pattern: /^\/v1\/payment_intents\/search$/,
      operation: 'payment_intents.search',
      run: (params) => searchIntents(params),
    },
  ];
}
