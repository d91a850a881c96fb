import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import type { Order } from '../../domain/order';
import { fakeOrders } from '../../saga/test-fakes';
import type { BankWait, BankWaits } from '../shared/bank-waits';
import { stripeWebhookWith, type TaskOutcome, type WebhookDeps } from './webhook';

const SECRET = 'whsec_test_secret_for_the_unit_tests';
// The real SDK signs and verifies (no network): the webhook is checked as Stripe's code checks it.
const stripe = new Stripe('sk_test_unit', { telemetry: false });

const signed = (event: object, options: { secret?: string; timestamp?: number } = {}) => {
  const payload = JSON.stringify(event);
  return {
    body: payload,
    isBase64Encoded: false,
    headers: {
      'stripe-signature': stripe.webhooks.generateTestHeaderString({
        payload,
        secret: options.secret ?? SECRET,
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      }),
    },
  };
};

const piEvent = (id: string, type: string, object: Record<string, unknown>) => ({
  id,
  object: 'event',
  type,
  data: { object: { object: 'payment_intent', ...object } },
});

/** Everything the webhook touches, in memory, recording what it did. */
const world = (
  order: Order,
  intents: Record<string, { status: string; metadata?: Record<string, string> }>,
) => {
  const orders = fakeOrders(order);
  const waits = new Map<string, BankWait>();
  const events = new Set<string>();
  const resumed: { token: string; outcome: TaskOutcome }[] = [];
  const alerts: unknown[] = [];
  const mails: unknown[] = [];
  const cancels: string[] = [];
  const metrics: string[] = [];
  let failResumeOnce = false;
  const bankWaits: BankWaits = {
    keep: async (wait) => void waits.set(wait.paymentIntentId, wait),
    find: async (id) => waits.get(id) ?? null,
    forget: async (wait) => {
      if (waits.get(wait.paymentIntentId)?.taskToken === wait.taskToken)
        waits.delete(wait.paymentIntentId);
    },
    claimEvent: async (id) => (events.has(id) ? false : (events.add(id), true)),
    releaseEvent: async (id) => void events.delete(id),
  };
  const deps: WebhookDeps = {
    signingSecret: SECRET,
    verify: (payload, header, secret) => stripe.webhooks.constructEvent(payload, header, secret),
    payments: {
      paymentIntents: {
        retrieve: async (id) => ({ id, ...(intents[id] ?? { status: 'canceled' }) }),
        cancel: async (id) => {
          cancels.push(id);
          return {};
        },
      },
    },
    waits: bankWaits,
    orders: orders.deps.orders,
    resume: async (token, outcome) => {
      if (failResumeOnce) {
        failResumeOnce = false;
        throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      }
      resumed.push({ token, outcome });
    },
    alert: async (event) => void alerts.push(event),
    mail: async (message) => void mails.push(message),
    storefrontUrl: 'https://shop.example.com',
    now: () => new Date(),
    metric: (name) => void metrics.push(name),
  };
  return {
    handler: stripeWebhookWith(() => deps),
    orders,
    waits,
    resumed,
    alerts,
    mails,
    cancels,
    metrics,
    failResumeOnce: () => (failResumeOnce = true),
  };
};

const waiting = anOrder({ status: 'ACTION_REQUIRED', paymentIntentId: 'pi_3ds' });
const mine = { metadata: { orderId: waiting.id } };

describe('Handler: stripeWebhook', () => {
  it('resumes the waiting execution once the bank confirmed, and forgets the wait', async () => {
    // Prepare
    const w = world(waiting, { pi_3ds: { status: 'requires_capture', ...mine } });
    w.waits.set('pi_3ds', { paymentIntentId: 'pi_3ds', orderId: waiting.id, taskToken: 'tok' });
    // Act
    const answer = await w.handler(
      signed(
        piEvent('evt_1', 'payment_intent.amount_capturable_updated', { id: 'pi_3ds', ...mine }),
      ),
    );
    // Assess
    expect(answer.statusCode).toBe(200);
    expect(w.resumed).toEqual([
      { token: 'tok', outcome: { ok: true, output: { paymentIntentId: 'pi_3ds' } } },
    ]);
    expect(w.waits.size).toBe(0);
  });

  it('refuses a bad signature and a stale timestamp with 400, counting them, changing nothing', async () => {
    const w = world(waiting, {});
    w.waits.set('pi_3ds', { paymentIntentId: 'pi_3ds', orderId: waiting.id, taskToken: 'tok' });
    const event = piEvent('evt_2', 'payment_intent.amount_capturable_updated', { id: 'pi_3ds' });
    const forged = await w.handler(signed(event, { secret: 'whsec_someone_else' }));
    const stale = await w.handler(
      signed(event, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    );
    const unsigned = await w.handler({ body: JSON.stringify(event), headers: {} });
    expect([forged.statusCode, stale.statusCode, unsigned.statusCode]).toEqual([400, 400, 400]);
    expect(w.metrics).toEqual(['SignatureFailures', 'SignatureFailures', 'SignatureFailures']);
    expect(w.resumed).toEqual([]);
    expect(w.waits.size).toBe(1);
  });

  it('a replayed delivery does nothing twice', async () => {
    const w = world(waiting, { pi_3ds: { status: 'requires_payment_method', ...mine } });
    w.waits.set('pi_3ds', { paymentIntentId: 'pi_3ds', orderId: waiting.id, taskToken: 'tok' });
    const delivery = signed(
      piEvent('evt_3', 'payment_intent.payment_failed', {
        id: 'pi_3ds',
        last_payment_error: { code: 'payment_intent_authentication_failure' },
      }),
    );
    const first = await w.handler(delivery);
    const again = await w.handler(delivery);
    expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
    expect(first.statusCode).toBe(200);
    expect(w.resumed).toEqual([
      {
        token: 'tok',
        outcome: {
          ok: false,
          error: 'PaymentNotConfirmedError',
          cause: expect.stringMatching(/^PAYMENT_NOT_CONFIRMED: /),
        },
      },
    ]);
  });

  it('events out of order: a failure after the success finds no wait and changes nothing', async () => {
    const w = world(waiting, { pi_3ds: { status: 'requires_capture', ...mine } });
    w.waits.set('pi_3ds', { paymentIntentId: 'pi_3ds', orderId: waiting.id, taskToken: 'tok' });
    await w.handler(
      signed(piEvent('evt_ok', 'payment_intent.amount_capturable_updated', { id: 'pi_3ds' })),
    );
    const late = await w.handler(
      signed(
        piEvent('evt_late', 'payment_intent.payment_failed', {
          id: 'pi_3ds',
          last_payment_error: { code: 'card_declined' },
        }),
      ),
    );
    expect(JSON.parse(late.body)).toEqual({ received: true, handled: 'nothing-to-do' });
    expect(w.resumed).toHaveLength(1);
    expect(w.orders.writes).toEqual([]);
  });

  it('a delivery that fails half-way answers 500 and is handled in full when Stripe retries it', async () => {
    const w = world(waiting, { pi_3ds: { status: 'requires_capture', ...mine } });
    w.waits.set('pi_3ds', { paymentIntentId: 'pi_3ds', orderId: waiting.id, taskToken: 'tok' });
    w.failResumeOnce();
    const delivery = signed(
      piEvent('evt_4', 'payment_intent.amount_capturable_updated', { id: 'pi_3ds' }),
    );
    expect((await w.handler(delivery)).statusCode).toBe(500);
    expect((await w.handler(delivery)).statusCode).toBe(200);
    expect((await w.handler(delivery)).body).toContain('duplicate');
    expect(w.resumed).toHaveLength(1);
  });

  it('releases an authorization the saga lost for an order that failed, and tells operators', async () => {
    const failed = anOrder({ status: 'FAILED', paymentIntentId: null });
    const w = world(failed, {
      pi_lost: { status: 'requires_capture', metadata: { orderId: failed.id } },
    });
    const answer = await w.handler(
      signed(piEvent('evt_5', 'payment_intent.amount_capturable_updated', { id: 'pi_lost' })),
    );
    expect(JSON.parse(answer.body)).toMatchObject({ handled: 'reconciled' });
    expect(w.cancels).toEqual(['pi_lost']);
    expect(w.alerts).toEqual([
      expect.objectContaining({ subject: expect.stringContaining(failed.id) }),
    ]);
  });

  it('a completed order refunded in the dashboard: noted once on the order, the shopper emailed', async () => {
    const done = anOrder({ status: 'COMPLETED', paymentIntentId: 'pi_paid' });
    const w = world(done, { pi_paid: { status: 'succeeded', metadata: { orderId: done.id } } });
    const refund = {
      id: 'evt_6',
      object: 'event',
      type: 'charge.refunded',
      data: {
        object: {
          id: 'ch_1',
          object: 'charge',
          payment_intent: 'pi_paid',
          amount_refunded: 1500,
          currency: 'usd',
        },
      },
    };
    await w.handler(signed(refund));
    await w.handler(signed({ ...refund, id: 'evt_6b' }));
    const history = w.orders.stored.get(done.id)?.statusHistory ?? [];
    expect(history.filter((change) => change.note?.startsWith('Refunded $15.00'))).toHaveLength(1);
    expect(w.mails).toEqual([
      expect.objectContaining({ to: done.email, subject: expect.stringContaining('$15.00') }),
    ]);
  });

  it('a dispute, and a cancelled authorization of a live order, alert operators', async () => {
    const live = anOrder({ status: 'PAYMENT_AUTHORIZED', paymentIntentId: 'pi_live' });
    const w = world(live, { pi_live: { status: 'canceled', metadata: { orderId: live.id } } });
    await w.handler(
      signed({
        id: 'evt_7',
        object: 'event',
        type: 'charge.dispute.created',
        data: {
          object: { id: 'dp_1', payment_intent: 'pi_live', amount: 900, reason: 'fraudulent' },
        },
      }),
    );
    await w.handler(
      signed(
        piEvent('evt_8', 'payment_intent.canceled', {
          id: 'pi_live',
          cancellation_reason: 'automatic',
          metadata: { orderId: live.id },
        }),
      ),
    );
    // The saga's own cancellation (reason abandoned) is not news.
    await w.handler(
      signed(
        piEvent('evt_9', 'payment_intent.canceled', {
          id: 'pi_live',
          cancellation_reason: 'abandoned',
          metadata: { orderId: live.id },
        }),
      ),
    );
    expect(w.alerts).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({ type: 'PaymentDisputed', orderId: live.id }),
      }),
      expect.objectContaining({
        attributes: expect.objectContaining({ eventType: 'PaymentAuthorizationCancelled' }),
      }),
    ]);
  });

  it('refuses an oversized body before reading it', async () => {
    const w = world(waiting, {});
    const answer = await w.handler({ body: 'x'.repeat(600 * 1024), headers: {} });
    expect(answer.statusCode).toBe(413);
    expect(w.metrics).toEqual([]);
  });
});
