/** The local Stripe's wire: API keys, CORS, form bodies, routing, faults and idempotency on each request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../kit/engine';
import { BodyTooLargeError, close, readBody, serveHttp } from '../kit/http';
import { parseForm } from './form';
import { runIdempotent } from './idempotency';
import { paymentIntentSearch } from './intent-search';
import { paymentIntents } from './intents';
import { openLedger } from './ledger';
import { paymentMethods } from './payment-methods';
import { refundRoutes } from './refunds';
import { testHooks } from './faults';
import { serveAuthenticationPage } from './authentication-page';
import { webhooks, type Delivery } from './webhooks';
import {
  StripeApiError,
  unrecognized,
  MAX_BODY_BYTES,
  errorBody,
  type StripeOptions,
  type StripeFault,
  type PaymentIntent,
  type Refund,
} from './model';

export type { PaymentIntent, PaymentMethod, Refund, StripeFault, StripeOptions } from './model';
export { signPayload, type Delivery } from './webhooks';

export interface StripeEngine extends Engine {
  host: string;
  port: number;
  paymentIntents(): PaymentIntent[];
  refunds(): Refund[];
  injectFault(fault: StripeFault): void;
  /** Every webhook delivery (last 1000) with its attempts. */
  deliveries(): Delivery[];
}

/** Local Stripe-compatible API for the `stripe` SDK: PaymentIntents, refunds, idempotency, test cards. */
export async function start(options: StripeOptions): Promise<StripeEngine> {
  const host = options.host ?? '127.0.0.1';
  // Known once listening (options.port may be 0).
  let url = `http://${host}:${options.port}`;
  const ledger = openLedger(options.dataDir);
  const { intents, refunds } = ledger;
  const methods = paymentMethods(ledger);
  const hooks = testHooks(ledger);
  const { faultAnswer, takeFault, injectFault, local } = hooks;
  const intentApi = paymentIntents(
    ledger,
    methods,
    (intent) =>
      `${url}/3d_secure_2/authenticate/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret)}`,
  );
  const events = webhooks(ledger, {
    retryBaseMs: options.webhookRetryBaseMs ?? 1000,
    maxAttempts: options.webhookMaxAttempts ?? 8,
  });
  // Search before retrieve: /v1/payment_intents/search would match an intent id.
  const routes = [
    ...methods.routes,
    ...paymentIntentSearch(ledger),
    ...intentApi.routes,
    ...refundRoutes(ledger),
    ...events.routes,
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
        target.pathname === '/_local/deliveries' &&
        headerKeyOf(req) === options.secretKey
      ) {
        send(200, { data: events.deliveries() });
        return;
      }
      if (
        options.testHooks &&
        target.pathname.startsWith('/_local/') &&
        headerKeyOf(req) === options.secretKey
      ) {
        send(200, local(method, target.pathname, body));
        return;
      }
      // The bank's page for 3-D Secure test cards: a shopper's browser, no API key.
      if (
        serveAuthenticationPage(
          { intentOf: ledger.intentOf, authenticate: intentApi.authenticate },
          method,
          target,
          body,
          res,
          req,
        )
      )
        return;
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

      const answer = runIdempotent(
        ledger,
        { key, idempotencyKey, method, path: target.pathname, params, requestId },
        () => route.run(params, route.pattern.exec(target.pathname)!),
      );
      send(answer.status, answer.body, answer.headers);
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
    deliveries: () => events.deliveries(),
    stop: () => {
      events.stop();
      return close(server);
    },
  };
}
