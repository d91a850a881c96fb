/**
 * Hardening: the local Stripe takes only its account's keys, as Stripe does. Every API route
 * refuses a missing or unknown key with Stripe's 401, and a publishable key everywhere but
 * PaymentMethod creation; the test hooks under /_local/ answer only a backend started with
 * LOCAL_TEST_HOOKS=1 and only the secret key in the Authorization header; to anyone else they are
 * an unknown URL. Through the real `stripe` SDK and raw HTTP; nothing refused writes anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { start as startStripe } from '../../local/engines/stripe';
import { backendAnswers } from '../support/attack';
import { connectBackend, type Backend } from '../support/backend';
import { allPaymentIntents, armedStripeFaults, stripeSecretKeyOf } from '../support/payments';

let backend: Backend;
let secretKey: string;
let publishableKey: string;
let stripeUrl: URL;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  secretKey = await stripeSecretKeyOf(backend);
  const local = (backend.outputs['custom'] as { local?: { stripePublishableKey?: string } }).local;
  publishableKey = local?.stripePublishableKey ?? '';
  expect(publishableKey).toMatch(/^pk_test_/);
  stripeUrl = new URL(backend.endpoints.stripe);
});

afterAll(() => backend?.close());

const sdk = (key: string) =>
  new Stripe(key, {
    host: stripeUrl.hostname,
    port: Number(stripeUrl.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });

// Takes a thunk, not a promise: a request started before the previous refusal is awaited would
// reject with no handler yet, which Node reports as an unhandled rejection.
const refusal = async (call: () => Promise<unknown>) => {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
};

interface Answer {
  status: number;
  error: { type?: string; code?: string; message?: string };
}

async function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const response = await fetch(`${backend.endpoints.stripe}${path}`, { method, headers, body });
  const parsed = (await response.json()) as { error?: Answer['error'] };
  return { status: response.status, error: parsed.error ?? {} };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const basic = (key: string) => ({
  authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
});

const NO_KEY = /You did not provide an API key/;
const INVALID_KEY = /Invalid API Key provided/;
const PUBLISHABLE = /cannot be made with a publishable API key/;
const UNRECOGNIZED = (method: string, path: string) =>
  `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;

const HOOKS: [string, string, string?][] = [
  ['GET', '/_local/payment_intents'],
  ['GET', '/_local/refunds'],
  ['GET', '/_local/faults'],
  ['DELETE', '/_local/faults'],
  [
    'POST',
    '/_local/faults',
    JSON.stringify({ operation: '*', count: 1000, kind: 'connection', when: 'after' }),
  ],
];

/** Every API route, with a body that would pass its checks given the secret key. */
const ROUTES: [string, string, string?][] = [
  ['GET', '/v1/payment_methods/pm_card_visa'],
  ['POST', '/v1/payment_intents', 'amount=2000&currency=usd&payment_method=pm_card_visa'],
  ['GET', '/v1/payment_intents'],
  ['GET', "/v1/payment_intents/search?query=status%3A'succeeded'"],
  ['GET', '/v1/payment_intents/pi_hardening'],
  ['POST', '/v1/payment_intents/pi_hardening', 'description=stolen'],
  ['POST', '/v1/payment_intents/pi_hardening/confirm', 'payment_method=pm_card_visa'],
  ['POST', '/v1/payment_intents/pi_hardening/capture'],
  ['POST', '/v1/payment_intents/pi_hardening/cancel'],
  ['POST', '/v1/refunds', 'payment_intent=pi_hardening'],
  ['GET', '/v1/refunds/re_hardening'],
];
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const CARD_FORM = `type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=${NEXT_YEAR}&card[cvc]=123`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('hardening: the local Stripe takes only its own keys', () => {
  let intentsBefore: number;
  beforeAll(async () => {
    intentsBefore = (await allPaymentIntents(backend)).length;
  });

  it.each([...ROUTES, ['POST', '/v1/payment_methods', CARD_FORM] as [string, string, string]])(
    '%s %s without a key gets Stripe 401',
    async (method, path, body) => {
      const answer = await raw(method, path, FORM, body);
      expect(answer.status).toBe(401);
      expect(answer.error.type).toBe('invalid_request_error');
      expect(answer.error.message).toMatch(NO_KEY);
    },
  );

  it.each([...ROUTES, ['POST', '/v1/payment_methods', CARD_FORM] as [string, string, string]])(
    '%s %s with a test key this account never issued gets Stripe 401',
    async (method, path, body) => {
      for (const key of ['sk_test_someone_else', 'not-a-key', 'pk_test_someone_else']) {
        const answer = await raw(method, path, { ...FORM, ...bearer(key) }, body);
        expect(answer.status).toBe(401);
        expect(answer.error).toMatchObject({ type: 'invalid_request_error' });
        expect(answer.error.message).toMatch(INVALID_KEY);
        // Stripe shows only the key's ends.
        expect(answer.error.message).not.toContain(key.length > 12 ? key : '\u0000');
      }
    },
  );

  it.each(ROUTES)(
    '%s %s with the publishable key gets Stripe 401, in the header or the body',
    async (method, path, body) => {
      const inHeader = await raw(method, path, { ...FORM, ...bearer(publishableKey) }, body);
      expect(inHeader.status).toBe(401);
      expect(inHeader.error.message).toMatch(PUBLISHABLE);
      const form = [body, `key=${publishableKey}`].filter(Boolean).join('&');
      const inBody =
        method === 'GET'
          ? await raw(method, `${path}${path.includes('?') ? '&' : '?'}key=${publishableKey}`)
          : await raw(method, path, FORM, form);
      expect(inBody.status).toBe(401);
      expect(inBody.error.message).toMatch(PUBLISHABLE);
    },
  );

  it('the stripe SDK with a wrong secret key is refused with StripeAuthenticationError', async () => {
    const stranger = sdk('sk_test_someone_else');
    for (const call of [
      () => stranger.paymentIntents.create({ amount: 2000, currency: 'usd' }),
      () => stranger.paymentIntents.list(),
      () => stranger.refunds.create({ payment_intent: 'pi_hardening' }),
      () => stranger.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } }),
    ]) {
      const error = await refusal(call);
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(error.statusCode).toBe(401);
    }
  });

  it('the stripe SDK with the publishable key may create a PaymentMethod and nothing else', async () => {
    const browser = sdk(publishableKey);
    const method = await browser.paymentMethods.create({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 12, exp_year: NEXT_YEAR, cvc: '123' },
    } as Stripe.PaymentMethodCreateParams);
    expect(method.card?.last4).toBe('4242');
    for (const call of [
      () =>
        browser.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: method.id }),
      () => browser.paymentIntents.list(),
      () => browser.paymentIntents.search({ query: "status:'succeeded'" }),
      () => browser.paymentMethods.retrieve(method.id),
      () => browser.refunds.create({ payment_intent: 'pi_hardening' }),
    ]) {
      const error = await refusal(call);
      expect(error.statusCode).toBe(401);
      expect(error.message).toMatch(PUBLISHABLE);
    }
  });

  it.each(HOOKS)(
    'test hook %s %s: no key gets 401, another key 401, the publishable key 404',
    async (method, path, body) => {
      const none = await raw(method, path, {}, body);
      expect(none.status).toBe(401);
      expect(none.error.message).toMatch(NO_KEY);
      const other = await raw(method, path, bearer('sk_test_someone_else'), body);
      expect(other.status).toBe(401);
      expect(other.error.message).toMatch(INVALID_KEY);
      for (const headers of [bearer(publishableKey), basic(publishableKey)]) {
        const publishable = await raw(method, path, headers, body);
        expect(publishable).toMatchObject({
          status: 404,
          error: { type: 'invalid_request_error', message: UNRECOGNIZED(method, path) },
        });
        expect(publishable.error.code).toBeUndefined();
      }
    },
  );

  it.each(HOOKS)(
    'test hook %s %s: the secret key in the query or form body is an unknown URL',
    async (method, path) => {
      // A key in the query or form body is how stripe.js sends a publishable key, never a hook's.
      const answer =
        method === 'GET'
          ? await raw(method, `${path}?key=${secretKey}`)
          : await raw(method, path, FORM, `key=${secretKey}`);
      expect(answer.status).toBe(404);
      expect(answer.error.message).toBe(UNRECOGNIZED(method, path));
    },
  );

  it('the stripe SDK with the publishable key meets an unknown URL at the hooks', async () => {
    const error = await refusal(() =>
      sdk(publishableKey).rawRequest('GET', '/_local/payment_intents'),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.message).toBe(UNRECOGNIZED('GET', '/_local/payment_intents'));
  });

  it('the hooks answer the secret key as Bearer, as Basic and through the stripe SDK', async () => {
    expect((await raw('GET', '/_local/faults', bearer(secretKey))).status).toBe(200);
    const viaBasic = await fetch(`${backend.endpoints.stripe}/_local/refunds`, {
      headers: basic(secretKey),
    });
    expect(viaBasic.status).toBe(200);
    expect(Array.isArray(await viaBasic.json())).toBe(true);
    const listed = (await sdk(secretKey).rawRequest('GET', '/_local/payment_intents')) as unknown;
    expect(listed).toBeDefined();
  });

  it('wrote nothing: no PaymentIntent, no fault armed, and the backend still answers', async () => {
    expect(await armedStripeFaults(backend)).toEqual([]);
    expect((await allPaymentIntents(backend)).length).toBe(intentsBefore);
    const intent = await sdk(secretKey).paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    expect(intent.status).toBe('requires_capture');
    await sdk(secretKey).paymentIntents.cancel(intent.id);
    expect(await backendAnswers(backend)).toBe(true);
  });
});

describe('hardening: a local Stripe started without LOCAL_TEST_HOOKS has no test hooks', () => {
  it.each(HOOKS)('%s %s with the secret key is an unknown URL', async (method, path, body) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stripe-no-hooks-'));
    const engine = await startStripe({
      port: 0,
      dataDir,
      secretKey: 'sk_test_no_hooks',
      publishableKey: 'pk_test_no_hooks',
    });
    try {
      for (const headers of [bearer('sk_test_no_hooks'), basic('sk_test_no_hooks')]) {
        const response = await fetch(`${engine.url}${path}`, { method, headers, body });
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({
          error: {
            type: 'invalid_request_error',
            message: UNRECOGNIZED(method, path),
            request_log_url: expect.stringMatching(/^https:\/\/dashboard\.stripe\.com\//),
          },
        });
      }
      const error = await refusal(() =>
        new Stripe('sk_test_no_hooks', {
          host: '127.0.0.1',
          port: engine.port,
          protocol: 'http',
          maxNetworkRetries: 0,
        }).rawRequest(method, path),
      );
      expect(error.statusCode).toBe(404);
      expect(engine.paymentIntents()).toEqual([]);
    } finally {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
