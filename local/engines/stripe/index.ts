import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Engine } from '../kit/engine';
import { BodyTooLargeError, close, readBody, serveHttp } from '../kit/http';
import { Journal } from '../kit/journal';
import {
  checkCard,
  DECLINES,
  TEST_CARDS,
  TEST_TOKENS,
  type CardOutcome,
  type TestCard,
} from './cards';
import { parseForm, type FormValue } from './form';
import { compileSearch, SearchQueryError } from './search';

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

export interface StripeEngine extends Engine {
  host: string;
  port: number;
  paymentIntents(): PaymentIntent[];
  refunds(): Refund[];
  injectFault(fault: StripeFault): void;
}

type Status =
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
  next_action: null;
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

interface Charge {
  id: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  payment_intent: string;
}

interface SavedResponse {
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

type StoredRecord =
  | { t: 'pi'; v: PaymentIntent }
  | { t: 'pm'; v: PaymentMethod; outcome: CardOutcome }
  | { t: 're'; v: Refund }
  | { t: 'ch'; v: Charge }
  | { t: 'idem'; k: string; v: SavedResponse };

/** A Stripe API error with the HTTP status and body shape Stripe uses. */
class StripeApiError extends Error {
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

const invalid = (message: string, param?: string, code = 'parameter_invalid', status = 400) =>
  new StripeApiError(status, {
    type: 'invalid_request_error',
    code,
    message,
    ...(param ? { param } : {}),
  });

/** Stripe's answer to a path it does not serve (its 404 has no code). */
const unrecognized = (method: string, path: string) =>
  new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });

const CANCELABLE: Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

const id = (prefix: string) =>
  `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
const now = () => Math.floor(Date.now() / 1000);

const MAX_BODY_BYTES = 256 * 1024;

const metadataSchema = z.record(z.string(), z.string()).optional();

/** Local Stripe-compatible API for the `stripe` SDK: PaymentIntents, refunds, idempotency, test cards. */
export async function start(options: StripeOptions): Promise<StripeEngine> {
  const host = options.host ?? '127.0.0.1';
  // Known once listening (options.port may be 0).
  let url = `http://${host}:${options.port}`;
  const journal = new Journal<StoredRecord>(options.dataDir, 'stripe.journal.jsonl');
  const intents = new Map<string, PaymentIntent>();
  const refunds = new Map<string, Refund>();
  const charges = new Map<string, Charge>();
  const idempotency = new Map<string, SavedResponse>();
  const methods = new Map<string, { method: PaymentMethod; outcome: CardOutcome }>();
  const apply = (record: StoredRecord) => {
    if (record.t === 'pi') intents.set(record.v.id, record.v);
    else if (record.t === 'pm')
      methods.set(record.v.id, { method: record.v, outcome: record.outcome });
    else if (record.t === 're') refunds.set(record.v.id, record.v);
    else if (record.t === 'ch') charges.set(record.v.id, record.v);
    else idempotency.set(record.k, record.v);
  };
  for (const record of journal.read()) apply(record);
  journal.rewrite([
    ...[...methods.values()].map(({ method, outcome }): StoredRecord => ({
      t: 'pm',
      v: method,
      outcome,
    })),
    ...[...intents.values()].map((v): StoredRecord => ({ t: 'pi', v })),
    ...[...charges.values()].map((v): StoredRecord => ({ t: 'ch', v })),
    ...[...refunds.values()].map((v): StoredRecord => ({ t: 're', v })),
    ...[...idempotency].map(([k, v]): StoredRecord => ({ t: 'idem', k, v })),
  ]);
  const save = (record: StoredRecord) => {
    journal.append(record);
    apply(record);
  };
  const faults: StripeFault[] = [];

  const intentOf = (intentId: string, param = 'intent') => {
    const intent = intents.get(intentId);
    if (!intent)
      throw invalid(`No such payment_intent: '${intentId}'`, param, 'resource_missing', 404);
    return intent;
  };

  /** A card PaymentMethod from a test card's details (only its last four digits are kept). */
  const cardMethod = (
    methodId: string,
    card: TestCard,
    details: { expMonth: number; expYear: number; cvc: boolean; postalCode: string | null },
  ): PaymentMethod => ({
    id: methodId,
    object: 'payment_method',
    type: 'card',
    billing_details: {
      address: {
        city: null,
        country: null,
        line1: null,
        line2: null,
        postal_code: details.postalCode,
        state: null,
      },
      email: null,
      name: null,
      phone: null,
    },
    card: {
      brand: card.brand,
      checks: {
        address_line1_check: null,
        address_postal_code_check: details.postalCode ? 'pass' : null,
        cvc_check: details.cvc ? 'pass' : null,
      },
      country: 'US',
      exp_month: details.expMonth,
      exp_year: details.expYear,
      // Stripe's fingerprint is the same for one number across PaymentMethods.
      fingerprint: createHash('sha256').update(card.number).digest('base64url').slice(0, 16),
      funding: card.funding,
      last4: card.number.slice(-4),
    },
    created: now(),
    customer: null,
    livemode: false,
    metadata: {},
  });

  /** A PaymentMethod created here, or one of Stripe's `pm_card_*` test PaymentMethods. */
  const paymentMethodOf = (
    pm: string,
  ): { method: PaymentMethod; outcome: CardOutcome } | undefined => {
    const created = methods.get(pm);
    if (created) return created;
    const number = TEST_TOKENS[pm];
    const card = number ? TEST_CARDS.get(number) : undefined;
    if (!card) return undefined;
    const method = cardMethod(pm, card, {
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: true,
      postalCode: null,
    });
    return { method, outcome: card.outcome };
  };

  const checkPaymentMethod = (pm: string) => {
    if (!paymentMethodOf(pm))
      throw invalid(`No such PaymentMethod: '${pm}'`, 'payment_method', 'resource_missing');
  };

  /** Confirms: succeeds into requires_capture or succeeded, or declines with a 402 card_error. */
  const confirm = (intent: PaymentIntent): PaymentIntent => {
    const pm = intent.payment_method;
    if (!pm)
      throw invalid(
        'You cannot confirm this PaymentIntent because it has no payment method. Provide a payment_method.',
        'payment_method',
        'payment_intent_unexpected_state',
      );
    const chargeId = id('ch');
    const found = paymentMethodOf(pm);
    const decline = found && found.outcome !== 'succeeds' ? DECLINES[found.outcome] : undefined;
    if (found && decline) {
      const error = {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.decline_code,
        message: decline.message,
        charge: chargeId,
        doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
        payment_method: found.method,
        ...(decline.param ? { param: decline.param } : {}),
      };
      const declined: PaymentIntent = {
        ...intent,
        status: 'requires_payment_method',
        payment_method: null,
        latest_charge: chargeId,
        last_payment_error: error,
      };
      save({ t: 'pi', v: declined });
      throw new StripeApiError(402, { ...error, payment_intent: declined });
    }
    const manual = intent.capture_method === 'manual';
    save({
      t: 'ch',
      v: {
        id: chargeId,
        amount: intent.amount,
        amount_captured: manual ? 0 : intent.amount,
        amount_refunded: 0,
        payment_intent: intent.id,
      },
    });
    const confirmed: PaymentIntent = {
      ...intent,
      status: manual ? 'requires_capture' : 'succeeded',
      amount_capturable: manual ? intent.amount : 0,
      amount_received: manual ? 0 : intent.amount,
      latest_charge: chargeId,
      last_payment_error: null,
    };
    save({ t: 'pi', v: confirmed });
    return confirmed;
  };

  const amountSchema = (param: string) =>
    z.string().transform((value, ctx) => {
      const number = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number)) {
        ctx.addIssue({ code: 'custom', message: `Invalid integer: ${value}`, path: [param] });
        return z.NEVER;
      }
      return number;
    });
  const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
  const common = { expand: z.unknown().optional() };

  const createSchema = z
    .object({
      ...common,
      amount: amountSchema('amount'),
      currency: z
        .string()
        .regex(/^[a-zA-Z]{3}$/)
        .transform((c) => c.toLowerCase()),
      payment_method: z.string().optional(),
      payment_method_types: z.array(z.string()).optional(),
      confirm: bool.optional(),
      capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
      confirmation_method: z.enum(['automatic', 'manual']).optional(),
      description: z.string().optional(),
      receipt_email: z.string().optional(),
      customer: z.string().optional(),
      metadata: metadataSchema,
      automatic_payment_methods: z.unknown().optional(),
      return_url: z.string().optional(),
      off_session: z.unknown().optional(),
      statement_descriptor: z.string().optional(),
      statement_descriptor_suffix: z.string().optional(),
    })
    .strict();
  const confirmSchema = z
    .object({
      ...common,
      payment_method: z.string().optional(),
      return_url: z.string().optional(),
      capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
      receipt_email: z.string().optional(),
      off_session: z.unknown().optional(),
    })
    .strict();
  const updateSchema = z
    .object({
      ...common,
      amount: amountSchema('amount').optional(),
      description: z.string().optional(),
      receipt_email: z.string().optional(),
      metadata: metadataSchema,
      payment_method: z.string().optional(),
      capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
    })
    .strict();
  const captureSchema = z
    .object({
      ...common,
      amount_to_capture: amountSchema('amount_to_capture').optional(),
      metadata: metadataSchema,
    })
    .strict();
  const cancelSchema = z
    .object({
      ...common,
      cancellation_reason: z
        .enum(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'])
        .optional(),
    })
    .strict();
  const refundSchema = z
    .object({
      ...common,
      payment_intent: z.string().optional(),
      charge: z.string().optional(),
      amount: amountSchema('amount').optional(),
      reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
      metadata: metadataSchema,
    })
    .strict();

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

  const paymentMethodSchema = z
    .object({
      ...common,
      type: z.string(),
      card: z
        .object({
          number: z.string().optional(),
          exp_month: z.string().optional(),
          exp_year: z.string().optional(),
          cvc: z.string().optional(),
        })
        .strict()
        .optional(),
      billing_details: z
        .object({
          address: z
            .object({
              city: z.string(),
              country: z.string(),
              line1: z.string(),
              line2: z.string(),
              postal_code: z.string().max(20),
              state: z.string(),
            })
            .partial()
            .strict()
            .optional(),
          email: z.string(),
          name: z.string(),
          phone: z.string(),
        })
        .partial()
        .strict()
        .optional(),
      metadata: metadataSchema,
      payment_user_agent: z.string().optional(),
    })
    .strict();

  /** POST /v1/payment_methods: a card PaymentMethod from a test card number, checked as Stripe checks it. */
  const createPaymentMethod = (params: Record<string, FormValue>): PaymentMethod => {
    const input = parse(paymentMethodSchema, params);
    if (input.type !== 'card')
      throw invalid(
        `Invalid type: the local Stripe creates card PaymentMethods only, not '${input.type}'.`,
        'type',
      );
    if (!input.card) throw invalid('Missing required param: card.', 'card', 'parameter_missing');
    const checked = checkCard(input.card);
    if (!checked.ok) {
      const { status, ...body } = checked.refusal;
      throw new StripeApiError(status, {
        ...body,
        ...(body.type === 'card_error'
          ? { doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, '-')}` }
          : {}),
      });
    }
    const address = input.billing_details?.address;
    const method: PaymentMethod = {
      ...cardMethod(id('pm'), checked.card, {
        expMonth: checked.expMonth,
        expYear: checked.expYear,
        cvc: input.card.cvc !== undefined,
        postalCode: address?.postal_code ?? null,
      }),
      billing_details: {
        address: {
          city: address?.city ?? null,
          country: address?.country ?? null,
          line1: address?.line1 ?? null,
          line2: address?.line2 ?? null,
          postal_code: address?.postal_code ?? null,
          state: address?.state ?? null,
        },
        email: input.billing_details?.email ?? null,
        name: input.billing_details?.name ?? null,
        phone: input.billing_details?.phone ?? null,
      },
      metadata: input.metadata ?? {},
    };
    save({ t: 'pm', v: method, outcome: checked.card.outcome });
    return method;
  };

  const checkAmount = (amount: number, param = 'amount') => {
    if (amount < 50) throw invalid('Amount must be at least $0.50 usd', param, 'amount_too_small');
    if (amount > 99_999_999)
      throw invalid('Amount must be no more than $999,999.99', param, 'amount_too_large');
  };

  type Route = {
    method: 'GET' | 'POST';
    pattern: RegExp;
    operation: string;
    /** Callable with a publishable key, as stripe.js calls it from a browser. */
    publishable?: true;
    run: (params: Record<string, FormValue>, match: RegExpExecArray) => unknown;
  };
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/payment_methods$/,
      operation: 'payment_methods.create',
      publishable: true,
      run: (params) => createPaymentMethod(params),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/payment_methods\/([^/]+)$/,
      operation: 'payment_methods.retrieve',
      run: (_params, match) => {
        const found = paymentMethodOf(match[1] ?? '');
        if (!found)
          throw invalid(`No such PaymentMethod: '${match[1]}'`, 'id', 'resource_missing', 404);
        return found.method;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents$/,
      operation: 'payment_intents.create',
      run: (params) => {
        const input = parse(createSchema, params);
        checkAmount(input.amount);
        if (input.payment_method) checkPaymentMethod(input.payment_method);
        const intentId = id('pi');
        const intent: PaymentIntent = {
          id: intentId,
          object: 'payment_intent',
          amount: input.amount,
          amount_capturable: 0,
          amount_received: 0,
          currency: input.currency,
          status: input.payment_method ? 'requires_confirmation' : 'requires_payment_method',
          capture_method: input.capture_method ?? 'automatic_async',
          confirmation_method: input.confirmation_method ?? 'automatic',
          client_secret: `${intentId}_secret_${randomBytes(12).toString('hex')}`,
          created: now(),
          canceled_at: null,
          cancellation_reason: null,
          description: input.description ?? null,
          receipt_email: input.receipt_email ?? null,
          customer: input.customer ?? null,
          metadata: input.metadata ?? {},
          payment_method: input.payment_method ?? null,
          payment_method_types: input.payment_method_types ?? ['card'],
          last_payment_error: null,
          latest_charge: null,
          next_action: null,
          livemode: false,
        };
        save({ t: 'pi', v: intent });
        return input.confirm ? confirm(intent) : intent;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/payment_intents$/,
      operation: 'payment_intents.list',
      run: () => ({
        object: 'list',
        url: '/v1/payment_intents',
        has_more: false,
        data: [...intents.values()].sort((a, b) => b.created - a.created),
      }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/payment_intents\/search$/,
      operation: 'payment_intents.search',
      run: (params) => searchIntents(params),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/payment_intents\/([^/]+)$/,
      operation: 'payment_intents.retrieve',
      run: (_params, match) => intentOf(match[1] ?? ''),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)$/,
      operation: 'payment_intents.update',
      run: (params, match) => {
        const intent = intentOf(match[1] ?? '');
        const input = parse(updateSchema, params);
        if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status))
          throw invalid(
            `This PaymentIntent's status is ${intent.status} and it cannot be updated.`,
            undefined,
            'payment_intent_unexpected_state',
          );
        if (input.amount !== undefined) checkAmount(input.amount);
        if (input.payment_method) checkPaymentMethod(input.payment_method);
        const updated: PaymentIntent = {
          ...intent,
          ...(input.amount !== undefined ? { amount: input.amount } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.receipt_email !== undefined ? { receipt_email: input.receipt_email } : {}),
          ...(input.capture_method ? { capture_method: input.capture_method } : {}),
          ...(input.payment_method
            ? { payment_method: input.payment_method, status: 'requires_confirmation' as const }
            : {}),
          metadata: { ...intent.metadata, ...(input.metadata ?? {}) },
        };
        save({ t: 'pi', v: updated });
        return updated;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
      operation: 'payment_intents.confirm',
      run: (params, match) => {
        const intent = intentOf(match[1] ?? '');
        const input = parse(confirmSchema, params);
        if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status))
          throw new StripeApiError(400, {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`,
            payment_intent: intent,
          });
        if (input.payment_method) checkPaymentMethod(input.payment_method);
        return confirm({
          ...intent,
          ...(input.payment_method ? { payment_method: input.payment_method } : {}),
          ...(input.capture_method ? { capture_method: input.capture_method } : {}),
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/,
      operation: 'payment_intents.capture',
      run: (params, match) => {
        const intent = intentOf(match[1] ?? '');
        const input = parse(captureSchema, params);
        if (intent.status !== 'requires_capture')
          throw new StripeApiError(400, {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
            payment_intent: intent,
          });
        const amount = input.amount_to_capture ?? intent.amount_capturable;
        if (amount > intent.amount_capturable)
          throw invalid(
            `The amount to capture (${amount}) must be less than or equal to the amount capturable (${intent.amount_capturable}).`,
            'amount_to_capture',
            'amount_too_large',
          );
        const charge = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
        if (charge) save({ t: 'ch', v: { ...charge, amount_captured: amount } });
        const captured: PaymentIntent = {
          ...intent,
          status: 'succeeded',
          amount_capturable: 0,
          amount_received: amount,
          metadata: { ...intent.metadata, ...(input.metadata ?? {}) },
        };
        save({ t: 'pi', v: captured });
        return captured;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
      operation: 'payment_intents.cancel',
      run: (params, match) => {
        const intent = intentOf(match[1] ?? '');
        const input = parse(cancelSchema, params);
        if (!CANCELABLE.includes(intent.status))
          throw new StripeApiError(400, {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
            payment_intent: intent,
          });
        const canceled: PaymentIntent = {
          ...intent,
          status: 'canceled',
          amount_capturable: 0,
          canceled_at: now(),
          cancellation_reason: input.cancellation_reason ?? null,
        };
        save({ t: 'pi', v: canceled });
        return canceled;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/refunds$/,
      operation: 'refunds.create',
      run: (params) => {
        const input = parse(refundSchema, params);
        let intent: PaymentIntent | undefined;
        if (input.payment_intent) intent = intentOf(input.payment_intent, 'payment_intent');
        else if (input.charge) {
          const charge = charges.get(input.charge);
          if (!charge)
            throw invalid(`No such charge: '${input.charge}'`, 'charge', 'resource_missing', 404);
          intent = intentOf(charge.payment_intent, 'charge');
        } else
          throw invalid(
            'One of the following params should be provided for this request: payment_intent or charge.',
            undefined,
            'parameter_missing',
          );
        const charge = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
        if (intent.status !== 'succeeded' || !charge)
          throw invalid(
            `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
            'payment_intent',
            'charge_not_refundable',
          );
        const remaining = charge.amount_captured - charge.amount_refunded;
        if (remaining <= 0)
          throw invalid(
            `Charge ${charge.id} has already been refunded.`,
            undefined,
            'charge_already_refunded',
          );
        const amount = input.amount ?? remaining;
        if (amount <= 0) throw invalid('Invalid positive integer', 'amount');
        if (amount > remaining)
          throw invalid(
            `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})`,
            'amount',
            'amount_too_large',
          );
        save({ t: 'ch', v: { ...charge, amount_refunded: charge.amount_refunded + amount } });
        const refund: Refund = {
          id: id('re'),
          object: 'refund',
          amount,
          charge: charge.id,
          currency: intent.currency,
          payment_intent: intent.id,
          reason: input.reason ?? null,
          status: 'succeeded',
          metadata: input.metadata ?? {},
          created: now(),
        };
        save({ t: 're', v: refund });
        return refund;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/refunds\/([^/]+)$/,
      operation: 'refunds.retrieve',
      run: (_params, match) => {
        const refund = refunds.get(match[1] ?? '');
        if (!refund) throw invalid(`No such refund: '${match[1]}'`, 'id', 'resource_missing', 404);
        return refund;
      },
    },
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_${randomBytes(10).toString('hex')}`;
    let lostAnswer: StripeFault | undefined;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (lostAnswer) {
        const fault = lostAnswer;
        lostAnswer = undefined;
        if (fault.kind === 'connection') req.socket.destroy();
        else send(...faultAnswer(fault, requestId));
        return;
      }
      res.writeHead(status, {
        'content-type': 'application/json',
        // api.stripe.com answers browsers from any origin: stripe.js calls it from the shop's page.
        'access-control-allow-origin': '*',
        'request-id': requestId,
        'stripe-version': String(req.headers['stripe-version'] ?? ''),
        ...headers,
      });
      res.end(JSON.stringify(body, null, 2));
    };
    try {
      let body: string;
      try {
        body = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        // Stripe's requests are small forms; a huge body is refused before it fills memory.
        send(413, {
          error: {
            type: 'invalid_request_error',
            message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
          },
        });
        return;
      }
      const target = new URL(req.url ?? '/', url);
      const method = req.method ?? 'GET';

      if (
        options.testHooks &&
        target.pathname.startsWith('/_local/') &&
        headerKeyOf(req) === options.secretKey
      ) {
        send(200, local(method, target.pathname, body));
        return;
      }
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, DELETE',
          'access-control-allow-headers':
            'authorization, content-type, idempotency-key, stripe-version, stripe-account',
          'access-control-max-age': '300',
        });
        res.end();
        return;
      }

      const params = parseForm(method === 'GET' ? target.search.slice(1) : body);
      // stripe.js sends its publishable key in the form body (a browser request with no preflight).
      const bodyKey = typeof params['key'] === 'string' ? params['key'] : undefined;
      delete params['key'];
      const key = apiKeyOf(req, bodyKey);
      const route = routes.find((r) => r.method === method && r.pattern.test(target.pathname));
      if (!route) throw unrecognized(method, target.pathname);
      if (key.startsWith('pk_') && !route.publishable)
        throw new StripeApiError(401, {
          type: 'invalid_request_error',
          message:
            'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
        });

      const fault = takeFault(route.operation);
      if (fault?.when === 'after') lostAnswer = fault;
      else if (fault?.kind === 'connection') {
        req.socket.destroy();
        return;
      } else if (fault) {
        send(...faultAnswer(fault, requestId));
        return;
      }

      const idempotencyKey = req.headers['idempotency-key'];
      if (method !== 'POST' || typeof idempotencyKey !== 'string' || !idempotencyKey) {
        send(200, route.run(params, route.pattern.exec(target.pathname)!));
        return;
      }

      // Stripe: same key and parameters replay the first answer; other parameters are refused.
      const slot = `${key}\u0000${idempotencyKey}`;
      const fingerprint = createHash('sha256')
        .update(`${method} ${target.pathname}\n${canonical(params)}`)
        .digest('hex');
      const saved = idempotency.get(slot);
      if (saved) {
        if (saved.fingerprint !== fingerprint)
          throw new StripeApiError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          });
        send(saved.status, saved.body, {
          'idempotent-replayed': 'true',
          'original-request': saved.requestId,
        });
        return;
      }
      let status = 200;
      let responseBody: unknown;
      try {
        responseBody = route.run(params, route.pattern.exec(target.pathname)!);
      } catch (error) {
        // Only answers from an endpoint that ran are kept: declines, not validation errors.
        if (!(error instanceof StripeApiError) || error.status !== 402) throw error;
        status = 402;
        responseBody = { error: errorBody(error, requestId) };
      }
      save({ t: 'idem', k: slot, v: { fingerprint, requestId, status, body: responseBody } });
      send(status, responseBody, { 'idempotency-key': idempotencyKey });
    } catch (error) {
      if (error instanceof StripeApiError) {
        send(
          error.status,
          { error: errorBody(error, requestId) },
          {
            ...(error.status >= 429 ? { 'stripe-should-retry': 'false' } : {}),
          },
        );
      } else {
        send(500, {
          error: {
            type: 'api_error',
            message: error instanceof Error ? error.message : String(error),
          },
        });
      }
    }
  }

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

  function errorBody(error: StripeApiError, requestId: string) {
    return {
      ...error.body,
      request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
    };
  }

  /** The key of an `Authorization: Bearer <key>` or `Basic <base64 key:>` header, as Stripe reads it. */
  function headerKeyOf(req: IncomingMessage): string | undefined {
    const header = String(req.headers.authorization ?? '');
    if (header.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
    if (header.startsWith('Basic '))
      return Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':')[0];
    return undefined;
  }

  function apiKeyOf(req: IncomingMessage, bodyKey: string | undefined): string {
    const key = headerKeyOf(req) ?? bodyKey ?? '';
    if (!key)
      throw new StripeApiError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    // Only this account's keys, as Stripe knows only the keys it issued.
    if (key !== options.secretKey && key !== options.publishableKey)
      throw new StripeApiError(401, {
        type: 'invalid_request_error',
        code: 'api_key_invalid',
        message: `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
      });
    return key;
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

  const server = await serveHttp({
    engine: 'Stripe',
    host,
    port: options.port,
    handle,
    fail: () => undefined,
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host}:${port}`;

  return {
    url,
    host,
    port,
    paymentIntents: () => [...intents.values()],
    refunds: () => [...refunds.values()],
    injectFault,
    stop: () => close(server),
  };
}

function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k] as FormValue)}`)
    .join(',')}}`;
}

function parse<T>(schema: z.ZodType<T>, params: Record<string, FormValue>): T {
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
