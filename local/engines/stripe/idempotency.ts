/** Idempotency keys as Stripe keeps them: the same key and parameters replay the first answer. */
import { createHash } from 'node:crypto';
import type { FormValue } from './form';
import type { Ledger } from './ledger';
import { errorBody, StripeApiError } from './model';

/** One POST with an `Idempotency-Key`, as the engine received it. */
export interface IdempotentRequest {
  /** The API key it was made with: keys are scoped to it. */
  key: string;
  idempotencyKey: string;
  method: string;
  path: string;
  params: Record<string, FormValue>;
  requestId: string;
}

/**
 * Runs the request once per key: the same key and parameters replay the first answer (a decline
 * too), other parameters are refused; validation errors are not kept, as Stripe keeps only
 * answers from an endpoint that ran.
 */
export function runIdempotent(
  ledger: Ledger,
  request: IdempotentRequest,
  run: () => unknown,
): { status: number; body: unknown; headers: Record<string, string> } {
  const { key, idempotencyKey, method, path, params, requestId } = request;
  const slot = `${key}\u0000${idempotencyKey}`;
  const fingerprint = createHash('sha256')
    .update(`${method} ${path}\n${canonical(params)}`)
    .digest('hex');
  const saved = ledger.idempotency.get(slot);
  if (saved) {
    if (saved.fingerprint !== fingerprint)
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
      });
    return {
      status: saved.status,
      body: saved.body,
      headers: { 'idempotent-replayed': 'true', 'original-request': saved.requestId },
    };
  }
  let status = 200;
  let body: unknown;
  try {
    body = run();
  } catch (error) {
    if (!(error instanceof StripeApiError) || error.status !== 402) throw error;
    status = 402;
    body = { error: errorBody(error, requestId) };
  }
  ledger.save({ t: 'idem', k: slot, v: { fingerprint, requestId, status, body } });
  return { status, body, headers: { 'idempotency-key': idempotencyKey } };
}

function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k] as FormValue)}`)
    .join(',')}}`;
}
