/** Test hooks (LOCAL_TEST_HOOKS=1): injected faults per operation, and the objects' listing. */
import { z } from 'zod';
import { StripeApiError, unrecognized, errorBody, type StripeFault } from './model';
import type { Ledger } from './ledger';

/** The armed faults and the `/_local/*` hooks over the ledger. */
export function testHooks(ledger: Ledger) {
  const { intents, refunds } = ledger;
  const faults: StripeFault[] = [];
  /** The 429 or 500 a fault answers with (kind rate_limit or api_error). */
  function faultAnswer(
    fault: StripeFault,
    requestId: string,
  ): [number, unknown, Record<string, string>] {
    const error = new StripeApiError(fault.kind === 'rate_limit' ? 429 : 500, {
      type: fault.kind === 'rate_limit' ? 'invalid_request_error' : 'api_error',
      ...(fault.kind === 'rate_limit' ? { code: 'rate_limit' } : {}),
      message:
        fault.kind === 'rate_limit'
          ? 'Request rate limit exceeded. (injected by the local Stripe)'
          : 'An unknown error occurred (injected by the local Stripe).',
    });
    return [
      error.status,
      { error: errorBody(error, requestId) },
      { 'stripe-should-retry': 'false' },
    ];
  }

  function takeFault(operation: string): StripeFault | undefined {
    const fault = faults.find((f) => f.operation === operation || f.operation === '*');
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  }

  const faultSchema = z.object({
    operation: z.string().min(1),
    count: z.number().int().min(1).max(1000),
    kind: z.enum(['api_error', 'rate_limit', 'connection']),
    when: z.enum(['before', 'after']).default('before'),
  });

  function injectFault(fault: StripeFault): void {
    faults.push(faultSchema.parse(fault));
  }

  function local(method: string, path: string, body: string): unknown {
    if (method === 'GET' && path === '/_local/payment_intents') return [...intents.values()];
    if (method === 'GET' && path === '/_local/refunds') return [...refunds.values()];
    if (method === 'GET' && path === '/_local/faults') return faults;
    if (method === 'DELETE' && path === '/_local/faults') {
      faults.splice(0);
      return faults;
    }
    if (method === 'POST' && path === '/_local/faults') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (cause) {
        throw new StripeApiError(400, {
          type: 'invalid_request_error',
          message: `The fault is not valid JSON: ${String(cause)}`,
        });
      }
      const fault = faultSchema.safeParse(parsed);
      if (!fault.success)
        throw new StripeApiError(400, {
          type: 'invalid_request_error',
          message: `Invalid fault: ${fault.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        });
      faults.push(fault.data);
      return faults;
    }
    throw unrecognized(method, path);
  }

  return { faults, faultAnswer, takeFault, injectFault, local };
}
