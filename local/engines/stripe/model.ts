/** The local Stripe's objects, errors and parameter checks, as Stripe's API defines them. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CardOutcome } from './cards';
import type { FormValue } from './form';

export interface StripeOptions {
  /** 0 picks a free port (the engine's `port` and `url` then tell which). */
  port: number;
  host?: string;
  dataDir: string;
  /** The account's secret key: the only secret key the API takes, and the one the test hooks want. */
  secretKey: string;
  /** The account's publishable key (what stripe.js sends), taken only where Stripe takes one. */
  publishableKey: string;
  /**
   * Serve the test hooks under /_local/ (PaymentIntents and refunds listed, faults) to a caller
   * with the secret key: LOCAL_TEST_HOOKS=1 only. Otherwise they are unknown URLs, as in Stripe.
   */
  testHooks?: boolean;
  /** Webhook deliveries: the first retry's wait (doubling after), and attempts before giving up. */
  webhookRetryBaseMs?: number;
  webhookMaxAttempts?: number;
}

/** A fault the next matching requests meet, so tests can make Stripe fail transiently. */
export interface StripeFault {
  /** e.g. 'payment_intents.create', 'payment_intents.confirm', 'payment_intents.capture',
   * 'payment_intents.cancel', 'payment_intents.retrieve', 'payment_intents.search',
   * 'refunds.create', or '*'. */
  operation: string;
  count: number;
  /** api_error: 500; rate_limit: 429; connection: the socket is closed with no answer. */
  kind: 'api_error' | 'rate_limit' | 'connection';
  /**
   * 'before' (the default): the request fails and changes nothing. 'after': the request takes
   * effect (and its idempotency key remembers the answer), then the answer is lost as `kind`
   * says, as when a network cut or a Stripe error comes after Stripe did the work.
   */
  when?: 'before' | 'after';
}

export type Status =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: Status;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  confirmation_method: 'automatic' | 'manual';
  client_secret: string;
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  description: string | null;
  receipt_email: string | null;
  customer: string | null;
  metadata: Record<string, string>;
  payment_method: string | null;
  payment_method_types: string[];
  last_payment_error: Record<string, unknown> | null;
  latest_charge: string | null;
  next_action: NextAction | null;
  livemode: false;
}

/** What the shopper must do next: here always the bank's authentication page. */
export interface NextAction {
  type: 'redirect_to_url';
  redirect_to_url: { url: string; return_url: string | null };
}

/** A webhook endpoint (POST /v1/webhook_endpoints); `secret` is only shown when it is created. */
export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  secret: string;
  status: 'enabled' | 'disabled';
  api_version: string | null;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export interface Charge {
  id: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  payment_intent: string;
}

export interface SavedResponse {
  fingerprint: string;
  requestId: string;
  status: number;
  body: unknown;
}

/** A card PaymentMethod as Stripe returns it (never the full number or the CVC). */
export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  billing_details: {
    address: {
      city: string | null;
      country: string | null;
      line1: string | null;
      line2: string | null;
      postal_code: string | null;
      state: string | null;
    };
    email: string | null;
    name: string | null;
    phone: string | null;
  };
  card: {
    brand: string;
    checks: {
      address_line1_check: null;
      address_postal_code_check: 'pass' | null;
      cvc_check: 'pass' | null;
    };
    country: string;
    exp_month: number;
    exp_year: number;
    fingerprint: string;
    funding: string;
    last4: string;
  };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

export type StoredRecord =
  | { t: 'pi'; v: PaymentIntent }
  | { t: 'pm'; v: PaymentMethod; outcome: CardOutcome }
  | { t: 're'; v: Refund }
  | { t: 'ch'; v: Charge }
  | { t: 'we'; v: WebhookEndpoint }
  | { t: 'we-'; id: string }
  | { t: 'idem'; k: string; v: SavedResponse };

/** A Stripe API error with the HTTP status and body shape Stripe uses. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: {
      type: string;
      code?: string;
      decline_code?: string;
      param?: string;
      message: string;
      payment_intent?: PaymentIntent;
      charge?: string;
      payment_method?: unknown;
      doc_url?: string;
    },
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

export const invalid = (
  message: string,
  param?: string,
  code = 'parameter_invalid',
  status = 400,
) =>
  new StripeApiError(status, {
    type: 'invalid_request_error',
    code,
    message,
    ...(param ? { param } : {}),
  });

/** Stripe's answer to a path it does not serve (its 404 has no code). */
export const unrecognized = (method: string, path: string) =>
  new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });

export const CANCELABLE: Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

export const id = (prefix: string) =>
  `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
export const now = () => Math.floor(Date.now() / 1000);

export const MAX_BODY_BYTES = 256 * 1024;

export const metadataSchema = z.record(z.string(), z.string()).optional();

export const amountSchema = (param: string) =>
  z.string().transform((value, ctx) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number)) {
      ctx.addIssue({ code: 'custom', message: `Invalid integer: ${value}`, path: [param] });
      return z.NEVER;
    }
    return number;
  });
export const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const common = { expand: z.unknown().optional() };

export const checkAmount = (amount: number, param = 'amount') => {
  if (amount < 50) throw invalid('Amount must be at least $0.50 usd', param, 'amount_too_small');
  if (amount > 99_999_999)
    throw invalid('Amount must be no more than $999,999.99', param, 'amount_too_large');
};

/** One endpoint: its method and path, the operation name faults use, and what it does. */
export type Route = {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  operation: string;
  /** Callable with a publishable key, as stripe.js calls it from a browser. */
  publishable?: true;
  run: (params: Record<string, FormValue>, match: RegExpExecArray) => unknown;
};

/** An error's body as Stripe sends it, with the request log link. */
export function errorBody(error: StripeApiError, requestId: string) {
  return {
    ...error.body,
    request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
  };
}

/** Parses an endpoint's form parameters, refusing them in Stripe's words. */
export function parse<T>(schema: z.ZodType<T>, params: Record<string, FormValue>): T {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).reduce((a, b) => (a ? `${a}[${b}]` : b), '') ?? '';
  if (issue?.code === 'unrecognized_keys')
    throw invalid(
      `Received unknown parameter: ${issue.keys[0]}`,
      issue.keys[0],
      'parameter_unknown',
    );
  if (issue?.code === 'invalid_type' && issue.input === undefined)
    throw invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
  if (issue?.code === 'custom') throw invalid(issue.message, param, 'parameter_invalid_integer');
  throw invalid(`Invalid ${param}: ${issue?.message ?? 'invalid value'}`, param);
}
