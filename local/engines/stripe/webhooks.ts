/**
 * Webhook endpoints and event delivery, as Stripe documents them: events follow what happens to
 * intents and charges; each is POSTed to every enabled endpoint that wants its type, signed with
 * the endpoint's secret (`Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`),
 * and a delivery that is not answered 2xx is tried again with exponential backoff.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Ledger } from './ledger';
import {
  id,
  invalid,
  metadataSchema,
  common,
  now,
  parse,
  type Charge,
  type PaymentIntent,
  type Route,
  type StoredRecord,
  type WebhookEndpoint,
} from './model';

export interface DeliveryOptions {
  /** The first retry waits this long, each next one twice as long (Stripe: hours; here: seconds). */
  retryBaseMs: number;
  /** Attempts per delivery before it is given up (Stripe tries for up to 3 days). */
  maxAttempts: number;
}

/** One delivery's record, for the test hooks and the log. */
export interface Delivery {
  eventId: string;
  type: string;
  endpoint: string;
  attempts: { at: number; status: number | string }[];
  delivered: boolean;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
}

const API_VERSION = '2026-10-28.endive';
const DELIVERY_TIMEOUT_MS = 10_000;

/** `Stripe-Signature` for a payload, as stripe.webhooks.constructEvent checks it. */
export const signPayload = (payload: string, secret: string, timestamp = now()): string =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;

/** The events an intent's change makes (Stripe's names), from what it was to what it is. */
export const intentEvents = (before: PaymentIntent | undefined, after: PaymentIntent): string[] => {
  const events: string[] = [];
  if (!before) events.push('payment_intent.created');
  if (before?.status === after.status && before.last_payment_error === after.last_payment_error)
    return events;
  switch (after.status) {
    case 'requires_action':
      events.push('payment_intent.requires_action');
      break;
    case 'requires_capture':
      events.push('payment_intent.amount_capturable_updated');
      break;
    case 'succeeded':
      events.push('payment_intent.succeeded');
      break;
    case 'canceled':
      events.push('payment_intent.canceled');
      break;
    case 'requires_payment_method':
      if (after.last_payment_error) events.push('payment_intent.payment_failed');
      break;
    default:
      break;
  }
  return events;
};

const createSchema = z
  .object({
    ...common,
    url: z.string().url(),
    enabled_events: z.array(z.string().min(1)).min(1),
    description: z.string().optional(),
    api_version: z.string().optional(),
    metadata: metadataSchema,
    connect: z.unknown().optional(),
  })
  .strict();

const MAX_ENDPOINTS = 16;

/** The webhook_endpoints API and the delivery of events to them. */
export function webhooks(ledger: Ledger, options: DeliveryOptions) {
  const { endpoints, save } = ledger;
  const deliveries: Delivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const wants = (endpoint: WebhookEndpoint, type: string) =>
    endpoint.status === 'enabled' &&
    (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type));

  const attempt = async (delivery: Delivery, endpoint: WebhookEndpoint, payload: string) => {
    if (stopped) return;
    let status: number | string;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signPayload(payload, endpoint.secret),
        },
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      status = (error as Error).name;
    }
    delivery.attempts.push({ at: Date.now(), status });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      delivery.delivered = true;
      return;
    }
    if (delivery.attempts.length >= options.maxAttempts || stopped) return;
    const wait = options.retryBaseMs * 2 ** (delivery.attempts.length - 1);
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(delivery, endpoint, payload);
    }, wait);
    timers.add(timer);
  };

  const emit = (type: string, object: unknown) => {
    const targets = [...endpoints.values()].filter((endpoint) => wants(endpoint, type));
    const event: StripeEvent = {
      id: id('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      type,
      data: { object },
      livemode: false,
      pending_webhooks: targets.length,
      request: { id: null, idempotency_key: null },
    };
    const payload = JSON.stringify(event, null, 2);
    for (const endpoint of targets) {
      const delivery: Delivery = {
        eventId: event.id,
        type,
        endpoint: endpoint.id,
        attempts: [],
        delivered: false,
      };
      deliveries.push(delivery);
      if (deliveries.length > 1000) deliveries.shift();
      // After the API call that caused it has been answered, as Stripe sends events.
      setImmediate(() => void attempt(delivery, endpoint, payload));
    }
  };

  ledger.observe((record: StoredRecord, before: unknown) => {
    if (record.t === 'pi') {
      for (const type of intentEvents(before as PaymentIntent | undefined, record.v))
        emit(type, record.v);
    } else if (record.t === 'ch') {
      const was = before as Charge | undefined;
      if (was && record.v.amount_refunded > was.amount_refunded)
        emit('charge.refunded', chargeObject(record.v));
    }
  });

  const chargeObject = (charge: Charge) => ({
    id: charge.id,
    object: 'charge',
    amount: charge.amount,
    amount_captured: charge.amount_captured,
    amount_refunded: charge.amount_refunded,
    currency: ledger.intents.get(charge.payment_intent)?.currency ?? 'usd',
    payment_intent: charge.payment_intent,
    refunded: charge.amount_refunded >= charge.amount_captured && charge.amount_captured > 0,
    livemode: false,
  });

  const endpointOf = (endpointId: string) => {
    const endpoint = endpoints.get(endpointId);
    if (!endpoint)
      throw invalid(`No such webhook endpoint: '${endpointId}'`, 'id', 'resource_missing', 404);
    return endpoint;
  };
  // The secret is shown only in the answer to the creation, as Stripe does.
  const shown = ({ secret: _secret, ...endpoint }: WebhookEndpoint) => endpoint;

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/webhook_endpoints$/,
      operation: 'webhook_endpoints.create',
      run: (params) => {
        const input = parse(createSchema, params);
        const url = new URL(input.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw invalid('Invalid URL: the URL must be http or https.', 'url', 'url_invalid');
        if (endpoints.size >= MAX_ENDPOINTS)
          throw invalid(`You have reached the maximum of ${MAX_ENDPOINTS} test webhook endpoints.`);
        const endpoint: WebhookEndpoint = {
          id: id('we'),
          object: 'webhook_endpoint',
          url: input.url,
          enabled_events: input.enabled_events,
          secret: `whsec_${randomBytes(24).toString('hex')}`,
          status: 'enabled',
          api_version: input.api_version ?? null,
          description: input.description ?? null,
          metadata: input.metadata ?? {},
          created: now(),
          livemode: false,
        };
        save({ t: 'we', v: endpoint });
        return endpoint;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/webhook_endpoints$/,
      operation: 'webhook_endpoints.list',
      run: () => ({
        object: 'list',
        url: '/v1/webhook_endpoints',
        has_more: false,
        data: [...endpoints.values()].map(shown),
      }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/webhook_endpoints\/([^/]+)$/,
      operation: 'webhook_endpoints.retrieve',
      run: (_params, match) => shown(endpointOf(match[1] ?? '')),
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/webhook_endpoints\/([^/]+)$/,
      operation: 'webhook_endpoints.delete',
      run: (_params, match) => {
        const endpoint = endpointOf(match[1] ?? '');
        save({ t: 'we-', id: endpoint.id });
        return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
      },
    },
  ];

  return {
    routes,
    emit,
    deliveries: () => deliveries.map((d) => ({ ...d, attempts: [...d.attempts] })),
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
