/**
 * 3-D Secure through the running local backend, with the real `stripe` SDK: the local Stripe
 * asks, the shopper answers on its authentication page, the signed webhook (HTTP API -> Lambda)
 * resumes the saga. Attacks on the endpoint (bad signature, stale timestamp, replays, events out
 * of order) and a delivery that fails once and is retried never change an order twice.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { configureAmplify } from '../support/amplify';
import { connectBackend, localEndpoint, type Backend } from '../support/backend';
import { readStock } from '../support/catalog';
import { clearFunctionFaults, injectFunctionFault } from '../support/faults';
import { orderRequest, placeOrderOk } from '../support/orders';
import { stripeSecretKeyOf } from '../support/payments';
import { scenario, type Scenario } from '../support/scenario';

const RUN_TIMEOUT_MS = 120_000;
let backend: Backend;
let stripe: Stripe;
let webhookUrl: string;
let signingSecret: string;

const post = (body: string, signature: string) =>
  fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  });

/** Places a 3-D Secure order and waits until it shows ACTION_REQUIRED; returns it and its intent. */
async function orderWaitingOnTheBank(run: Scenario, card = 'pm_card_authenticationRequired') {
  const placed = await placeOrderOk(
    run.shopper,
    orderRequest(run.shopper, [{ productId: run.product.id, quantity: 1 }], {
      paymentMethodId: card,
    }),
  );
  const waiting = await run.feed.waitFor(placed.id, ['ACTION_REQUIRED', 'FAILED'], RUN_TIMEOUT_MS);
  expect(waiting.status).toBe('ACTION_REQUIRED');
  const intent = await stripe.paymentIntents.retrieve(waiting.paymentIntentId ?? '');
  expect(intent.status).toBe('requires_action');
  return { order: waiting, intent };
}

/** The shopper's answer on the local Stripe's authentication page (what the browser posts). */
async function answerTheBank(intent: Stripe.PaymentIntent, action: 'complete' | 'fail') {
  const page = new URL(intent.next_action?.redirect_to_url?.url ?? '');
  const response = await fetch(`${page.origin}${page.pathname}`, {
    method: 'POST',
    body: new URLSearchParams({ client_secret: intent.client_secret ?? '', action }),
  });
  expect(response.status).toBe(200);
}

const statusesOf = (run: Scenario, orderId: string) => run.feed.statuses(orderId);

beforeAll(async () => {
  const outputs = inject('localBackend').outputs as { custom?: { stripeWebhookUrl?: string } };
  backend = await connectBackend(inject('localBackend').outputs);
  configureAmplify(backend);
  webhookUrl = outputs.custom?.stripeWebhookUrl ?? '';
  const url = new URL(backend.endpoints.stripe);
  stripe = new Stripe(await stripeSecretKeyOf(backend), {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    telemetry: false,
  });
  const ssm = new SSMClient(localEndpoint(backend.endpoints.ssm));
  const parameter = await ssm.send(
    new GetParameterCommand({
      Name: '/amplify/storefront/dev/STRIPE_WEBHOOK_SECRET',
      WithDecryption: true,
    }),
  );
  ssm.destroy();
  signingSecret = parameter.Parameter?.Value ?? '';
});

afterAll(() => backend?.close());
afterEach(() => clearFunctionFaults(backend));

describe('3-D Secure through the signed Stripe webhook', () => {
  it(
    'the shopper confirms; one delivery fails and is retried; the order completes, each status once',
    async () => {
      const run = await scenario(backend, 5, 2_500);
      const { order, intent } = await orderWaitingOnTheBank(run);
      // The webhook's first delivery fails (its Lambda errors, API Gateway answers 500).
      await injectFunctionFault(backend, {
        functionName: 'stripeWebhook',
        count: 1,
        errorName: 'Error',
      });
      const confirmedAt = Date.now();
      await answerTheBank(intent, 'complete');
      const authorized = await run.feed.waitFor(
        order.id,
        ['PAYMENT_AUTHORIZED', 'FAILED'],
        RUN_TIMEOUT_MS,
      );
      console.log(
        `confirm -> PAYMENT_AUTHORIZED live (one retried delivery): ${Date.now() - confirmedAt} ms`,
      );
      expect(authorized.status).toBe('PAYMENT_AUTHORIZED');
      const final = await run.feed.waitForEnd(order.id, RUN_TIMEOUT_MS);
      expect(final.status).toBe('COMPLETED');
      expect(final.statusHistory.map((h) => h?.status)).toEqual([
        'PENDING',
        'VALIDATED',
        'ACTION_REQUIRED',
        'PAYMENT_AUTHORIZED',
        'INVENTORY_RESERVED',
        'PAYMENT_CAPTURED',
        'RECEIPT_READY',
        'CONFIRMED',
        'SHIPPED',
        'COMPLETED',
      ]);
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 4, reservations: {} });
      run.feed.close();
    },
    RUN_TIMEOUT_MS * 2,
  );

  it(
    'the shopper fails the check: FAILED with the bank sentence, stock back, the intent left uncharged',
    async () => {
      const run = await scenario(backend, 5, 2_500);
      const { order, intent } = await orderWaitingOnTheBank(run);
      await answerTheBank(intent, 'fail');
      const final = await run.feed.waitForEnd(order.id, RUN_TIMEOUT_MS);
      expect(final).toMatchObject({ status: 'FAILED', failureCode: 'PAYMENT_NOT_CONFIRMED' });
      expect(final.failureReason).toMatch(/^Your bank did not confirm this payment/);
      expect(['requires_payment_method', 'canceled']).toContain(
        (await stripe.paymentIntents.retrieve(intent.id)).status,
      );
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 5, reservations: {} });
      run.feed.close();
    },
    RUN_TIMEOUT_MS * 2,
  );

  it(
    'refuses forged and stale deliveries with 400; replayed and out-of-order events change nothing',
    async () => {
      const run = await scenario(backend, 5, 2_500);
      const { order, intent } = await orderWaitingOnTheBank(run, 'pm_card_threeDSecure2Required');
      const success = JSON.stringify({
        id: `evt_test_${order.id}`,
        object: 'event',
        type: 'payment_intent.amount_capturable_updated',
        data: { object: { ...intent, status: 'requires_capture' } },
      });
      const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
        stripe.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret ?? signingSecret,
          ...(options.timestamp ? { timestamp: options.timestamp } : {}),
        });
      // Forged, stale, tampered: refused, and the order still waits.
      expect((await post(success, sign(success, { secret: 'whsec_not_the_shops' }))).status).toBe(
        400,
      );
      expect(
        (await post(success, sign(success, { timestamp: Math.floor(Date.now() / 1000) - 3600 })))
          .status,
      ).toBe(400);
      expect(
        (await post(success.replace('requires_capture', 'succeeded'), sign(success))).status,
      ).toBe(400);
      expect((await post(success, 'garbage')).status).toBe(400);
      expect(run.feed.statuses(order.id).at(-1)).toBe('ACTION_REQUIRED');

      // The real confirmation, then the same signed event replayed twice and a late failure event.
      const confirmedAt = Date.now();
      await answerTheBank(intent, 'complete');
      await run.feed.waitFor(order.id, ['PAYMENT_AUTHORIZED'], RUN_TIMEOUT_MS);
      console.log(`confirm -> PAYMENT_AUTHORIZED live: ${Date.now() - confirmedAt} ms`);
      const final = await run.feed.waitForEnd(order.id, RUN_TIMEOUT_MS);
      expect(final.status).toBe('COMPLETED');
      const first = await post(success, sign(success));
      const replay = await post(success, sign(success));
      expect([first.status, replay.status]).toEqual([200, 200]);
      expect(await replay.json()).toEqual({ received: true, duplicate: true });
      const lateFailure = JSON.stringify({
        id: `evt_late_${order.id}`,
        object: 'event',
        type: 'payment_intent.payment_failed',
        data: {
          object: {
            ...intent,
            status: 'requires_payment_method',
            last_payment_error: { code: 'card_declined' },
          },
        },
      });
      expect((await post(lateFailure, sign(lateFailure))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      const statuses = statusesOf(run, order.id);
      expect(new Set(statuses).size).toBe(statuses.length);
      expect(statuses.at(-1)).toBe('COMPLETED');
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
      run.feed.close();
    },
    RUN_TIMEOUT_MS * 2,
  );
});
