import {
  InsufficientFundsError,
  type OrderError,
  PaymentDeclinedError,
  PaymentFailedError,
  TransientError,
} from './errors';

/** Stripe's idempotency keys for an order's payment steps (one per step, so retries replay). */
export const paymentIdempotencyKey = (
  orderId: string,
  step: 'authorize' | 'capture' | 'void' | 'refund',
): string => `${orderId}:${step}`;

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

/** A PaymentIntent's status after authorization, as the saga reads it. */
export const checkAuthorization = (status: string, paymentIntentId: string): void => {
  if (status === 'requires_capture' || status === 'succeeded') return;
  if (status === 'requires_payment_method') {
    throw new PaymentDeclinedError(
      `payment ${paymentIntentId} was not authorized (requires_payment_method)`,
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
