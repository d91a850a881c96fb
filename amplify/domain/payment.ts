import {
  BankConfirmationRequired,
  InsufficientFundsError,
  type OrderError,
  PaymentDeclinedError,
  PaymentFailedError,
  PaymentNotConfirmedError,
  TransientError,
} from './errors';
import type { Order } from './order';

/**
 * Stripe's idempotency keys for an order's payment steps (one per step, so retries replay). A
 * PaymentIntent found by search rather than recorded on the order gets its id in the key too, so
 * giving back two of them never reuses one key for two different requests.
 */
export const paymentIdempotencyKey = (
  orderId: string,
  step: 'authorize' | 'capture' | 'void' | 'refund',
  paymentIntentId?: string,
): string => (paymentIntentId ? `${orderId}:${step}:${paymentIntentId}` : `${orderId}:${step}`);

/** The parts of a Stripe SDK error the saga decides on. */
export interface PaymentProviderError {
  type?: string;
  code?: string;
  decline_code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Maps a Stripe error to the saga's errors: card errors are declines (insufficient_funds has its
 * own code), network/API/rate-limit errors are transient (retried), anything else is a payment
 * failure that a retry will not fix.
 */
export const classifyPaymentError = (error: PaymentProviderError, cause?: unknown): OrderError => {
  const detail = `${error.type ?? 'Error'}${error.decline_code ? ` (${error.decline_code})` : error.code ? ` (${error.code})` : ''}: ${error.message ?? 'payment error'}`;
  switch (error.type) {
    case 'StripeCardError':
      return error.decline_code === 'insufficient_funds' || error.code === 'insufficient_funds'
        ? new InsufficientFundsError(detail, { cause })
        : new PaymentDeclinedError(detail, { cause });
    case 'StripeConnectionError':
    case 'StripeAPIError':
    case 'StripeRateLimitError':
      return new TransientError(detail, { cause });
    default:
      if (error.statusCode !== undefined && (error.statusCode >= 500 || error.statusCode === 429)) {
        return new TransientError(detail, { cause });
      }
      return new PaymentFailedError(detail, { cause });
  }
};

/** Stripe's code on a PaymentIntent whose 3-D Secure authentication the shopper failed. */
export const AUTHENTICATION_FAILURE = 'payment_intent_authentication_failure';

/**
 * A PaymentIntent's status after authorization, as the saga reads it: authorized, or the bank wants
 * the shopper to confirm (BankConfirmationRequired: the saga waits), or refused. `lastErrorCode` is
 * the intent's `last_payment_error.code`: a failed authentication is the shopper's bank saying no.
 */
export const checkAuthorization = (
  status: string,
  paymentIntentId: string,
  lastErrorCode?: string | null,
): void => {
  if (status === 'requires_capture' || status === 'succeeded') return;
  if (status === 'requires_action') throw new BankConfirmationRequired(paymentIntentId);
  if (status === 'requires_payment_method') {
    if (lastErrorCode === AUTHENTICATION_FAILURE)
      throw new PaymentNotConfirmedError(
        `payment ${paymentIntentId} was not confirmed by the shopper with their bank`,
      );
    throw new PaymentDeclinedError(
      `payment ${paymentIntentId} was not authorized (requires_payment_method${lastErrorCode ? `, ${lastErrorCode}` : ''})`,
    );
  }
  throw new PaymentFailedError(`payment ${paymentIntentId} is ${status}, not authorized`);
};

export type CaptureDecision = 'capture' | 'already-captured';

/** Whether an authorized PaymentIntent still needs capturing. */
export const captureDecision = (status: string, paymentIntentId: string): CaptureDecision => {
  if (status === 'requires_capture') return 'capture';
  if (status === 'succeeded') return 'already-captured';
  throw new PaymentFailedError(`payment ${paymentIntentId} is ${status} and cannot be captured`);
};

export type CompensationAction = 'cancel' | 'refund' | 'none';

/** How to give a shopper's money back given the PaymentIntent's status: void, refund, or nothing. */
export const compensationFor = (status: string | undefined): CompensationAction => {
  switch (status) {
    case 'requires_capture':
    case 'requires_payment_method':
    case 'requires_confirmation':
    case 'requires_action':
    case 'processing':
      return 'cancel';
    case 'succeeded':
      return 'refund';
    default:
      return 'none';
  }
};

/** The PaymentIntent metadata key that ties an intent to its order (set at authorization). */
export const ORDER_ID_METADATA_KEY = 'orderId';

/** Stripe search query for every PaymentIntent made for an order (quotes and backslashes escaped). */
export const paymentSearchQuery = (orderId: string): string =>
  `metadata['${ORDER_ID_METADATA_KEY}']:'${orderId.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * Whether an order may hold a payment that it never recorded: AuthorizePayment can have run (the
 * order was VALIDATED) yet no PaymentIntent id was saved, e.g. because the function died between
 * Stripe's answer and the order update. Such an order's intents must be looked up at Stripe.
 */
export const mayHoldUnrecordedPayment = (
  order: Pick<Order, 'paymentIntentId' | 'statusHistory'>,
): boolean =>
  !order.paymentIntentId && order.statusHistory.some((change) => change.status === 'VALIDATED');

/** A PaymentIntent as the compensation reads it. */
export interface PaymentIntentState {
  id: string;
  status: string;
  metadata?: Record<string, string> | null;
  last_payment_error?: { code?: string | null } | null;
  client_secret?: string | null;
}

/** One PaymentIntent to give back and how, with the idempotency key for the Stripe call. */
export interface PaymentGiveBack {
  paymentIntentId: string;
  action: Exclude<CompensationAction, 'none'>;
  idempotencyKey: string;
}

/**
 * What to undo for an order, given its PaymentIntents: cancel every open one, refund every
 * captured one, leave canceled ones alone. The intent recorded on the order is its own; an intent
 * found by search counts only when its metadata names this order (never someone else's payment).
 */
export const paymentsToGiveBack = (
  order: Pick<Order, 'id' | 'paymentIntentId'>,
  intents: readonly PaymentIntentState[],
): PaymentGiveBack[] => {
  const seen = new Set<string>();
  const plan: PaymentGiveBack[] = [];
  for (const intent of intents) {
    if (seen.has(intent.id)) continue;
    seen.add(intent.id);
    const recorded = intent.id === order.paymentIntentId;
    if (!recorded && intent.metadata?.[ORDER_ID_METADATA_KEY] !== order.id) continue;
    const action = compensationFor(intent.status);
    if (action === 'none') continue;
    const step = action === 'cancel' ? 'void' : 'refund';
    plan.push({
      paymentIntentId: intent.id,
      action,
      idempotencyKey: recorded
        ? paymentIdempotencyKey(order.id, step)
        : paymentIdempotencyKey(order.id, step, intent.id),
    });
  }
  return plan;
};
