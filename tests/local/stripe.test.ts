import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startStripe, type StripeEngine } from '@/local/engines/stripe';
import { ownEnginePort } from '../support/backend';

const PORT = ownEnginePort(8);
/** The engine's account: the only keys it takes. */
const KEYS = {
  secretKey: 'sk_test_local',
  publishableKey: 'pk_test_local_offline',
  testHooks: true,
};
let dataDir: string;
let engine: StripeEngine;
let stripe: Stripe;

const client = (key = 'sk_test_local') =>
  new Stripe(key, { host: '127.0.0.1', port: PORT, protocol: 'http', maxNetworkRetries: 0 });

async function authorize(paymentMethod: string, amount = 4999, idempotencyKey?: string) {
  return stripe.paymentIntents.create(
    {
      amount,
      currency: 'usd',
      payment_method: paymentMethod,
      confirm: true,
      capture_method: 'manual',
      metadata: { orderId: 'order-1' },
    },
    idempotencyKey ? { idempotencyKey } : undefined,
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stripe-engine-'));
  engine = await startStripe({ port: PORT, dataDir, ...KEYS });
  stripe = client();
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Engine: local Stripe', () => {
  it('authorizes with pm_card_visa, then captures', async () => {
    const intent = await authorize('pm_card_visa');
    expect(intent).toMatchObject({
      object: 'payment_intent',
      status: 'requires_capture',
      amount: 4999,
      amount_capturable: 4999,
      currency: 'usd',
      metadata: { orderId: 'order-1' },
    });
    const captured = await stripe.paymentIntents.capture(intent.id);
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount_received: 4999,
      amount_capturable: 0,
    });
    const retrieved = await stripe.paymentIntents.retrieve(intent.id);
    expect(retrieved.status).toBe('succeeded');
  });

  it('captures a smaller amount with amount_to_capture', async () => {
    const intent = await authorize('pm_card_mastercard', 5000);
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000 });
    expect(captured.amount_received).toBe(3000);
  });

  it('creates, then confirms in a second call, with automatic capture', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd' });
    expect(created.status).toBe('requires_payment_method');
    const confirmed = await stripe.paymentIntents.confirm(created.id, {
      payment_method: 'pm_card_visa',
    });
    expect(confirmed.status).toBe('succeeded');
    expect(confirmed.amount_received).toBe(1200);
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
  ])(
    'declines %s with a 402 card error carrying the PaymentIntent',
    async (pm, code, declineCode) => {
      const error = await authorize(pm).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      const cardError = error as Stripe.errors.StripeCardError;
      expect(cardError.statusCode).toBe(402);
      expect(cardError.code).toBe(code);
      expect(cardError.decline_code).toBe(declineCode);
      expect(cardError.payment_intent?.status).toBe('requires_payment_method');
      expect(cardError.payment_intent?.last_payment_error?.decline_code).toBe(declineCode);
      const stored = await stripe.paymentIntents.retrieve(cardError.payment_intent!.id);
      expect(stored.amount_capturable).toBe(0);
      expect(stored.status).toBe('requires_payment_method');
    },
  );

  it('cancels an authorization, and refuses to cancel a captured payment', async () => {
    const intent = await authorize('pm_card_visa');
    const canceled = await stripe.paymentIntents.cancel(intent.id);
    expect(canceled).toMatchObject({ status: 'canceled', amount_capturable: 0 });
    const captured = await stripe.paymentIntents.capture((await authorize('pm_card_visa')).id);
    const error = await stripe.paymentIntents.cancel(captured.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).code).toBe('payment_intent_unexpected_state');
  });

  it('refunds part, then the rest, then refuses a third refund', async () => {
    const captured = await stripe.paymentIntents.capture(
      (await authorize('pm_card_visa', 2000)).id,
    );
    const part = await stripe.refunds.create({ payment_intent: captured.id, amount: 500 });
    expect(part).toMatchObject({
      object: 'refund',
      amount: 500,
      status: 'succeeded',
      payment_intent: captured.id,
    });
    const rest = await stripe.refunds.create({ payment_intent: captured.id });
    expect(rest.amount).toBe(1500);
    expect((await stripe.refunds.retrieve(rest.id)).amount).toBe(1500);
    const error = await stripe.refunds
      .create({ payment_intent: captured.id })
      .catch((e: unknown) => e);
    expect((error as Stripe.errors.StripeError).code).toBe('charge_already_refunded');
  });

  it('replays the first answer for the same idempotency key and parameters', async () => {
    const first = await stripe.paymentIntents.create(
      {
        amount: 700,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        capture_method: 'manual',
      },
      { idempotencyKey: 'authorize-order-42' },
    );
    const replay = await stripe.paymentIntents.create(
      {
        amount: 700,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        capture_method: 'manual',
      },
      { idempotencyKey: 'authorize-order-42' },
    );
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(engine.paymentIntents().filter((pi) => pi.id === first.id)).toHaveLength(1);
    expect(engine.paymentIntents().filter((pi) => pi.amount === 700)).toHaveLength(1);
  });

  it('replays a decline for the same key, and refuses other parameters with an idempotency error', async () => {
    const first = await authorize('pm_card_chargeDeclined', 900, 'declined-key').catch(
      (e: unknown) => e,
    );
    const again = await authorize('pm_card_chargeDeclined', 900, 'declined-key').catch(
      (e: unknown) => e,
    );
    expect((again as Stripe.errors.StripeCardError).payment_intent?.id).toBe(
      (first as Stripe.errors.StripeCardError).payment_intent?.id,
    );
    const conflict = await authorize('pm_card_chargeDeclined', 901, 'declined-key').catch(
      (e: unknown) => e,
    );
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((conflict as Stripe.errors.StripeError).statusCode).toBe(400);
  });

  it('answers 401 without an API key and 404 for an unknown PaymentIntent', async () => {
    const response = await fetch(`${engine.url}/v1/payment_intents/pi_x`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
    const missing = await stripe.paymentIntents
      .retrieve('pi_doesnotexist')
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((missing as Stripe.errors.StripeError).statusCode).toBe(404);
    expect((missing as Stripe.errors.StripeError).code).toBe('resource_missing');
  });

  it('refuses bad parameters clearly and creates nothing', async () => {
    const before = engine.paymentIntents().length;
    const tooSmall = await stripe.paymentIntents
      .create({ amount: 10, currency: 'usd' })
      .catch((e: unknown) => e);
    expect((tooSmall as Stripe.errors.StripeError).code).toBe('amount_too_small');
    const unknownPm = await authorize('pm_card_nope').catch((e: unknown) => e);
    expect((unknownPm as Stripe.errors.StripeError).code).toBe('resource_missing');
    expect((unknownPm as Stripe.errors.StripeError).param).toBe('payment_method');
    expect(engine.paymentIntents()).toHaveLength(before);
  });

  it('fails the next N calls of an operation on demand, then recovers', async () => {
    const injected = await fetch(`${engine.url}/_local/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.secretKey}` },
      body: JSON.stringify({ operation: 'payment_intents.create', count: 2, kind: 'api_error' }),
    });
    expect(injected.status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await authorize('pm_card_visa', 1000, 'fault-key').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    }
    const intent = await authorize('pm_card_visa', 1000, 'fault-key');
    expect(intent.status).toBe('requires_capture');
  });

  it('keeps PaymentIntents and idempotency keys across a restart', async () => {
    const intent = await authorize('pm_card_visa', 800, 'restart-key');
    await engine.stop();
    engine = await startStripe({ port: PORT, dataDir, ...KEYS });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_capture');
    const replay = await authorize('pm_card_visa', 800, 'restart-key');
    expect(replay.id).toBe(intent.id);
    const listed = (await (
      await fetch(`${engine.url}/_local/payment_intents`, {
        headers: { authorization: `Bearer ${KEYS.secretKey}` },
      })
    ).json()) as Array<{
      id: string;
    }>;
    expect(listed.map((pi) => pi.id)).toContain(intent.id);
  });
});
