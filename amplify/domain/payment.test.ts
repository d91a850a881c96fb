import { describe, expect, it } from 'vitest';
import {
  captureDecision,
  checkAuthorization,
  classifyPaymentError,
  compensationFor,
  paymentIdempotencyKey,
} from './payment';

describe('Function: classifyPaymentError', () => {
  it.each([
    [
      { type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline' },
      'PaymentDeclinedError',
    ],
    [
      { type: 'StripeCardError', code: 'card_declined', decline_code: 'insufficient_funds' },
      'InsufficientFundsError',
    ],
    [{ type: 'StripeCardError', code: 'expired_card' }, 'PaymentDeclinedError'],
    [{ type: 'StripeConnectionError' }, 'TransientError'],
    [{ type: 'StripeAPIError', statusCode: 500 }, 'TransientError'],
    [{ type: 'StripeRateLimitError', statusCode: 429 }, 'TransientError'],
    [
      { type: 'StripeInvalidRequestError', code: 'resource_missing', statusCode: 400 },
      'PaymentFailedError',
    ],
    [{ type: 'StripeIdempotencyError', statusCode: 400 }, 'PaymentFailedError'],
    [{ type: 'StripeAuthenticationError', statusCode: 401 }, 'PaymentFailedError'],
    [{ statusCode: 503 }, 'TransientError'],
    [{}, 'PaymentFailedError'],
  ])('maps %j to %s', (error, name) => {
    const mapped = classifyPaymentError({ message: 'from stripe', ...error });
    expect(mapped.name).toBe(name);
    expect(mapped.message).toContain('from stripe');
  });
});

describe('Function: checkAuthorization', () => {
  it.each(['requires_capture', 'succeeded'])('accepts %s', (status) => {
    expect(() => checkAuthorization(status, 'pi_1')).not.toThrow();
  });

  it.each([
    ['requires_payment_method', 'PaymentDeclinedError'],
    ['requires_action', 'PaymentFailedError'],
    ['canceled', 'PaymentFailedError'],
    ['processing', 'PaymentFailedError'],
  ])('refuses %s as %s', (status, name) => {
    expect(() => checkAuthorization(status, 'pi_1')).toThrow(expect.objectContaining({ name }));
  });
});

describe('Function: captureDecision', () => {
  it.each([
    ['requires_capture', 'capture'],
    ['succeeded', 'already-captured'],
  ])('decides %s -> %s', (status, decision) => {
    expect(captureDecision(status, 'pi_1')).toBe(decision);
  });

  it.each(['canceled', 'requires_payment_method'])('cannot capture a %s payment', (status) => {
    expect(() => captureDecision(status, 'pi_1')).toThrow(
      expect.objectContaining({ name: 'PaymentFailedError' }),
    );
  });
});

describe('Function: compensationFor', () => {
  it.each([
    ['requires_capture', 'cancel'],
    ['requires_payment_method', 'cancel'],
    ['requires_confirmation', 'cancel'],
    ['requires_action', 'cancel'],
    ['succeeded', 'refund'],
    ['canceled', 'none'],
    [undefined, 'none'],
  ])('gives money back from %s by %s', (status, action) => {
    expect(compensationFor(status)).toBe(action);
  });
});

describe('Function: paymentIdempotencyKey', () => {
  it.each(['authorize', 'capture', 'void', 'refund'] as const)(
    'keys the %s call by order and step',
    (step) => {
      expect(paymentIdempotencyKey('o-1', step)).toBe(`o-1:${step}`);
    },
  );
});
