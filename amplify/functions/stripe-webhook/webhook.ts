import { refundEmail, type EmailMessage } from '../../domain/emails';
import { formatMoney } from '../../domain/pricing';
import {
  AUTHENTICATION_FAILURE,
  ORDER_ID_METADATA_KEY,
  paymentIdempotencyKey,
  type PaymentIntentState,
} from '../../domain/payment';
import type { Order } from '../../domain/order';
import { statusEvent } from '../../saga/dependencies';
import type { BankWaits } from '../shared/bank-waits';
import type { OrderEvent } from '../shared/notify';
import { cleanHistory, type OrderStore } from '../shared/orders';

/** Stripe's events are small; anything bigger is not Stripe and is refused before it is parsed. */
export const MAX_BODY_BYTES = 512 * 1024;
/** How long an event id is remembered: Stripe retries a delivery for up to 3 days. */
const REMEMBER_EVENTS_MS = 4 * 24 * 60 * 60 * 1000;
/** The errors Step Functions answers for a token whose wait is over (answered, timed out, gone). */
const WAIT_OVER = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** A Stripe event as the webhook reads it. */
export interface StripeEventLike {
  id: string;
  type: string;
  data: { object: unknown };
}

export type TaskOutcome =
  { ok: true; output: Record<string, unknown> } | { ok: false; error: string; cause: string };

export interface WebhookDeps {
  signingSecret: string;
  /** stripe.webhooks.constructEvent: throws on a bad signature or a stale timestamp. */
  verify(payload: string, header: string, secret: string): StripeEventLike;
  payments: {
    paymentIntents: {
      retrieve(id: string): Promise<PaymentIntentState>;
      cancel(
        id: string,
        params: { cancellation_reason: 'abandoned' },
        options: { idempotencyKey: string },
      ): Promise<unknown>;
    };
  };
  waits: BankWaits;
  orders: OrderStore;
  /** SendTaskSuccess / SendTaskFailure. */
  resume(taskToken: string, outcome: TaskOutcome): Promise<void>;
  /** Publishes to the OrderErrors topic (operators). */
  alert(event: Omit<OrderEvent, 'topicArn'>): Promise<unknown>;
  mail(message: EmailMessage): Promise<unknown>;
  storefrontUrl: string;
  now(): Date;
  metric(name: 'SignatureFailures'): void;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const answer = (statusCode: number, body: Record<string, unknown>): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

interface HttpApiEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
}

/**
 * The webhook over its dependencies: 413 for an oversized body, 400 for a missing or bad
 * signature or a stale timestamp (nothing is read from such a body), 200 once an event is handled
 * or was handled before, 500 (so Stripe delivers it again) when handling failed half-way.
 */
export const stripeWebhookWith =
  (depsOf: () => WebhookDeps) =>
  async (raw: unknown): Promise<HttpResponse> => {
    const event = (raw ?? {}) as HttpApiEvent;
    const body = event.body ?? '';
    const payload = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    if (Buffer.byteLength(payload) > MAX_BODY_BYTES)
      return answer(413, { error: 'The body is larger than a Stripe event can be.' });
    const deps = depsOf();
    const header = event.headers?.['stripe-signature'] ?? event.headers?.['Stripe-Signature'];
    let stripeEvent: StripeEventLike;
    try {
      if (!header) throw new Error('No Stripe-Signature header');
      stripeEvent = deps.verify(payload, header, deps.signingSecret);
    } catch (error) {
      deps.metric('SignatureFailures');
      console.warn(
        JSON.stringify({ message: 'StripeSignatureRefused', reason: (error as Error).message }),
      );
      return answer(400, { error: 'The Stripe-Signature header does not verify.' });
    }
    const expires = new Date(deps.now().getTime() + REMEMBER_EVENTS_MS);
    if (!(await deps.waits.claimEvent(stripeEvent.id, expires)))
      return answer(200, { received: true, duplicate: true });
    try {
      const handled = await handleEvent(stripeEvent, deps);
      return answer(200, { received: true, handled });
    } catch (error) {
      await deps.waits.releaseEvent(stripeEvent.id);
      console.error(
        JSON.stringify({
          message: 'StripeEventFailed',
          eventId: stripeEvent.id,
          type: stripeEvent.type,
          error: (error as Error).message,
        }),
      );
      return answer(500, { error: 'The event could not be handled; Stripe will send it again.' });
    }
  };

type Handled = 'resumed' | 'reconciled' | 'recorded' | 'alerted' | 'nothing-to-do';

const objectOf = (event: StripeEventLike) => (event.data.object ?? {}) as Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const idOf = (value: unknown): string | undefined =>
  str(value) ?? str((value as { id?: unknown } | null)?.id);

/** What one verified event does. Every branch is safe to run twice. */
export const handleEvent = async (event: StripeEventLike, deps: WebhookDeps): Promise<Handled> => {
  const object = objectOf(event);
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated':
    case 'payment_intent.succeeded': {
      const intentId = idOf(object);
      if (!intentId) return 'nothing-to-do';
      if (await resumeWait(deps, intentId, { ok: true, output: { paymentIntentId: intentId } }))
        return 'resumed';
      return reconcile(deps, intentId);
    }
    case 'payment_intent.payment_failed': {
      const intentId = idOf(object);
      if (!intentId) return 'nothing-to-do';
      const code = str((object['last_payment_error'] as { code?: unknown } | null)?.code);
      const outcome: TaskOutcome =
        code === AUTHENTICATION_FAILURE
          ? {
              ok: false,
              error: 'PaymentNotConfirmedError',
              cause:
                'PAYMENT_NOT_CONFIRMED: the shopper did not confirm the payment with their bank',
            }
          : {
              ok: false,
              error: 'PaymentDeclinedError',
              cause: `PAYMENT_DECLINED: the bank declined after confirmation (${code ?? 'no code'})`,
            };
      return (await resumeWait(deps, intentId, outcome)) ? 'resumed' : 'nothing-to-do';
    }
    case 'payment_intent.canceled': {
      const intentId = idOf(object);
      if (!intentId) return 'nothing-to-do';
      const resumed = await resumeWait(deps, intentId, {
        ok: false,
        error: 'PaymentNotConfirmedError',
        cause: 'PAYMENT_NOT_CONFIRMED: the payment was cancelled while waiting for the bank',
      });
      // The saga's own compensation cancels with reason `abandoned`; any other cancellation (an
      // authorization that expired, one cancelled in the dashboard) of a live order needs a person.
      if (str(object['cancellation_reason']) === 'abandoned')
        return resumed ? 'resumed' : 'nothing-to-do';
      const order = await orderOfIntent(deps, object);
      if (!order || order.status === 'FAILED') return resumed ? 'resumed' : 'nothing-to-do';
      await deps.alert(
        statusEvent(
          'PaymentAuthorizationCancelled',
          order.id,
          order.status,
          'lost its payment authorization',
          {
            paymentIntentId: intentId,
            cancellationReason: str(object['cancellation_reason']) ?? null,
            eventId: event.id,
          },
        ),
      );
      return 'alerted';
    }
    case 'charge.refunded':
      return recordRefund(deps, object);
    case 'charge.dispute.created': {
      const intentId = idOf(object['payment_intent']);
      const order = intentId
        ? await orderOfIntent(deps, await deps.payments.paymentIntents.retrieve(intentId))
        : null;
      await deps.alert({
        subject: `Payment disputed${order ? ` for order ${order.id}` : ''}`,
        body: {
          type: 'PaymentDisputed',
          orderId: order?.id ?? null,
          disputeId: idOf(object),
          chargeId: idOf(object['charge']) ?? null,
          paymentIntentId: intentId ?? null,
          amountCents: object['amount'] ?? null,
          reason: object['reason'] ?? null,
          eventId: event.id,
        },
        attributes: { eventType: 'PaymentDisputed', orderId: order?.id ?? 'unknown' },
      });
      return 'alerted';
    }
    default:
      return 'nothing-to-do';
  }
};

/** Sends the outcome to the execution waiting on this intent, if one is; true when one was. */
const resumeWait = async (
  deps: WebhookDeps,
  paymentIntentId: string,
  outcome: TaskOutcome,
): Promise<boolean> => {
  const wait = await deps.waits.find(paymentIntentId);
  if (!wait) return false;
  try {
    await deps.resume(wait.taskToken, outcome);
  } catch (error) {
    if (!(error instanceof Error && WAIT_OVER.has(error.name))) throw error;
  }
  await deps.waits.forget(wait);
  return true;
};

const orderOfIntent = async (
  deps: WebhookDeps,
  intent: { metadata?: unknown },
): Promise<Order | null> => {
  const orderId = str((intent.metadata as Record<string, unknown> | null)?.[ORDER_ID_METADATA_KEY]);
  return orderId ? deps.orders.find(orderId) : null;
};

/**
 * An authorization the saga lost track of (its compensation's search did not find it yet): the
 * order failed, or completed with another intent, yet this one still holds the shopper's money.
 * It is cancelled, read fresh from Stripe so an out-of-order event cannot undo a later state.
 */
const reconcile = async (deps: WebhookDeps, intentId: string): Promise<Handled> => {
  const intent = await deps.payments.paymentIntents.retrieve(intentId);
  if (intent.status !== 'requires_capture') return 'nothing-to-do';
  const order = await orderOfIntent(deps, intent);
  if (!order) return 'nothing-to-do';
  const lost =
    order.status === 'FAILED' ||
    (order.status === 'COMPLETED' && order.paymentIntentId !== intent.id);
  if (!lost) return 'nothing-to-do';
  await deps.payments.paymentIntents.cancel(
    intent.id,
    { cancellation_reason: 'abandoned' },
    { idempotencyKey: paymentIdempotencyKey(order.id, 'void', intent.id) },
  );
  await deps.alert(
    statusEvent('LostPaymentReleased', order.id, order.status, 'had a lost payment released', {
      paymentIntentId: intent.id,
    }),
  );
  return 'reconciled';
};

/**
 * A refund made after the order completed (in Stripe's dashboard): noted on the order's history,
 * once per refund, and the shopper is told. Refunds of orders the saga is still running or
 * failed are the saga's own and are told by it.
 */
const recordRefund = async (
  deps: WebhookDeps,
  charge: Record<string, unknown>,
): Promise<Handled> => {
  const intentId = idOf(charge['payment_intent']);
  if (!intentId) return 'nothing-to-do';
  const order = await orderOfIntent(deps, await deps.payments.paymentIntents.retrieve(intentId));
  if (!order || order.status !== 'COMPLETED' || order.paymentIntentId !== intentId)
    return 'nothing-to-do';
  const refunded = Number(charge['amount_refunded'] ?? 0);
  const currency = str(charge['currency']) ?? order.currency;
  const note = `Refunded ${formatMoney(refunded, currency)} in total (charge ${idOf(charge) ?? '?'})`;
  if (order.statusHistory.some((change) => change.note === note)) return 'nothing-to-do';
  // Told before it is noted: a retry after a failed write may tell twice, never zero times.
  await deps.mail(refundEmail(order, deps.storefrontUrl, refunded, currency));
  const written = await deps.orders.moveIfUnchanged(order, {
    status: order.status,
    statusHistory: [
      ...cleanHistory(order.statusHistory),
      { status: order.status, at: deps.now().toISOString(), note },
    ],
    patch: {},
  });
  if (!written) throw new Error(`order ${order.id} changed while recording its refund`);
  return 'recorded';
};
