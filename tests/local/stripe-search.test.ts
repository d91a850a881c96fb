/**
 * The local Stripe's PaymentIntent search (`GET /v1/payment_intents/search`) through the real
 * `stripe` SDK: Stripe's search_result shape, metadata and AND clauses, pagination, and a clear
 * 400 for a query it cannot parse; and faults that lose the answer after the work was done, whose
 * PaymentIntent search still finds. An engine of its own on a free port.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startStripe, type StripeEngine } from '@/local/engines/stripe';

/** The engine's account: the only keys it takes. */
const KEYS = { secretKey: 'sk_test_local', publishableKey: 'pk_test_local_offline' };
let dataDir: string;
let engine: StripeEngine;
let stripe: Stripe;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stripe-search-'));
  engine = await startStripe({ port: 0, dataDir, ...KEYS });
  stripe = new Stripe('sk_test_local', {
    host: engine.host,
    port: engine.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An authorization for an order, as AuthorizePayment makes it. */
const authorize = (orderId: string, amount = 2_000) =>
  stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    capture_method: 'manual',
    metadata: { orderId },
  });

describe('Engine: local Stripe search', () => {
  it("finds an order's PaymentIntents by metadata, in Stripe's search_result shape", async () => {
    const orderId = randomUUID();
    const intent = await authorize(orderId);
    await authorize(randomUUID());

    const result = await stripe.paymentIntents.search({
      query: `metadata['orderId']:'${orderId}'`,
    });

    expect(result).toMatchObject({
      object: 'search_result',
      url: '/v1/payment_intents/search',
      has_more: false,
      next_page: null,
    });
    expect(result.data.map((i) => [i.id, i.status, i.amount_capturable])).toEqual([
      [intent.id, 'requires_capture', 2_000],
    ]);
  });

  it('combines clauses with AND, and finds nothing for an unknown order', async () => {
    const orderId = randomUUID();
    const held = await authorize(orderId);
    const canceled = await authorize(orderId);
    await stripe.paymentIntents.cancel(canceled.id);

    const open = await stripe.paymentIntents.search({
      query: `metadata["orderId"]:"${orderId}" AND status:"requires_capture"`,
    });
    expect(open.data.map((i) => i.id)).toEqual([held.id]);

    const none = await stripe.paymentIntents.search({ query: "metadata['orderId']:'nobody'" });
    expect(none.data).toEqual([]);
  });

  it('pages newest first with next_page, which the SDK auto-pagination follows', async () => {
    const orderId = randomUUID();
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await authorize(orderId, 1_000 + i));
    const query = `metadata['orderId']:'${orderId}'`;

    const first = await stripe.paymentIntents.search({ query, limit: 2 });
    expect(first.has_more).toBe(true);
    expect(typeof first.next_page).toBe('string');
    expect(first.data.map((i) => i.amount)).toEqual([1_002, 1_001]);

    const all = await stripe.paymentIntents.search({ query, limit: 2 }).autoPagingToArray({
      limit: 10,
    });
    expect(all.map((i) => i.id)).toEqual(made.map((i) => i.id).reverse());
  });

  it.each([
    ["metadata['orderId']:o-1", /quoted string/],
    ["metadata['orderId']:'o-1' AND status:'canceled' OR amount:1", /cannot be combined/],
    ["description:'x'", /not supported/],
  ])('refuses %j with a 400 naming the query, and changes nothing', async (query, message) => {
    const before = engine.paymentIntents().length;
    const refused = await stripe.paymentIntents.search({ query }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(refused).toMatchObject({
      statusCode: 400,
      param: 'query',
      type: 'StripeInvalidRequestError',
    });
    expect((refused as Error).message).toMatch(message);
    expect(engine.paymentIntents()).toHaveLength(before);
  });
});

describe('Engine: local Stripe, an answer lost after the work', () => {
  // The SDK retries a closed connection once even with retries off, with the same key: both
  // answers must be lost for the caller to see the failure.
  it.each([
    ['connection', 2],
    ['api_error', 1],
  ] as const)(
    'authorizes although the caller gets %s (%i answers lost); search finds it and the same key replays it',
    async (kind, count) => {
      const orderId = randomUUID();
      engine.injectFault({ operation: 'payment_intents.create', count, kind, when: 'after' });
      const request = {
        amount: 3_000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        capture_method: 'manual' as const,
        metadata: { orderId },
      };
      const key = `${orderId}:authorize`;

      const lost = await stripe.paymentIntents
        .create(request, { idempotencyKey: key })
        .catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(
        kind === 'connection' ? Stripe.errors.StripeConnectionError : Stripe.errors.StripeAPIError,
      );

      const found = await stripe.paymentIntents.search({
        query: `metadata['orderId']:'${orderId}'`,
      });
      expect(found.data.map((i) => [i.status, i.amount_capturable])).toEqual([
        ['requires_capture', 3_000],
      ]);
      const replayed = await stripe.paymentIntents.create(request, { idempotencyKey: key });
      expect(replayed.id).toBe(found.data[0]?.id);
      expect(engine.paymentIntents().filter((i) => i.metadata['orderId'] === orderId)).toHaveLength(
        1,
      );
    },
  );

  it('by default fails before the work: nothing is made', async () => {
    const orderId = randomUUID();
    engine.injectFault({ operation: 'payment_intents.create', count: 1, kind: 'api_error' });
    await expect(authorize(orderId)).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    const found = await stripe.paymentIntents.search({
      query: `metadata['orderId']:'${orderId}'`,
    });
    expect(found.data).toEqual([]);
  });
});
