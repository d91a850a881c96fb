import { describe, expect, it } from 'vitest';
import {
  captureDecision,
  checkAuthorization,
  classifyPaymentError,
  compensationFor,
  mayHoldUnrecordedPayment,
  paymentIdempotencyKey,
  paymentSearchQuery,
  paymentsToGiveBack,
} from './payment';
import { anOrder } from './test-fixtures';

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
    ['canceled', 'PaymentFailedError'],
    ['processing', 'PaymentFailedError'],
  ])('refuses %s as %s', (status, name) => {
    expect(() => checkAuthorization(status, 'pi_1')).toThrow(expect.objectContaining({ name }));
  });

  it('asks for the bank (3-D Secure) on requires_action, naming the intent', () => {
    expect(() => checkAuthorization('requires_action', 'pi_3ds')).toThrow(
      expect.objectContaining({ name: 'BankConfirmationRequired', message: 'pi_3ds' }),
    );
  });

  it('tells a failed bank confirmation from a decline', () => {
    expect(() =>
      checkAuthorization(
        'requires_payment_method',
        'pi_1',
        'payment_intent_authentication_failure',
      ),
    ).toThrow(expect.objectContaining({ code: 'PAYMENT_NOT_CONFIRMED' }));
    expect(() => checkAuthorization('requires_payment_method', 'pi_1', 'card_declined')).toThrow(
      expect.objectContaining({ code: 'PAYMENT_DECLINED' }),
    );
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

describe('Function: paymentIdempotencyKey with a PaymentIntent', () => {
  it('keys a call about one of several intents by order, step and intent', () => {
    expect(paymentIdempotencyKey('o-1', 'void', 'pi_1')).toBe('o-1:void:pi_1');
    expect(paymentIdempotencyKey('o-1', 'void', 'pi_2')).not.toBe(
      paymentIdempotencyKey('o-1', 'void', 'pi_1'),
    );
  });
});

describe('Function: paymentSearchQuery', () => {
  it("finds an order's intents by the metadata authorization set", () => {
    expect(paymentSearchQuery('3f1c2b9a-1d2e')).toBe("metadata['orderId']:'3f1c2b9a-1d2e'");
  });

  it('escapes quotes and backslashes so an id cannot change the query', () => {
    expect(paymentSearchQuery("o'1\\")).toBe("metadata['orderId']:'o\\'1\\\\'");
  });
});

describe('Function: mayHoldUnrecordedPayment', () => {
  const history = (...statuses: ('PENDING' | 'VALIDATED' | 'FAILED')[]) =>
    statuses.map((status) => ({ status, at: '2030-01-02T03:04:05.000Z', note: null }));

  it.each([
    ['validated, no intent recorded', { statusHistory: history('PENDING', 'VALIDATED') }, true],
    [
      'failed after validation, no intent recorded',
      { status: 'FAILED' as const, statusHistory: history('PENDING', 'VALIDATED', 'FAILED') },
      true,
    ],
    ['never validated (authorization never ran)', { statusHistory: history('PENDING') }, false],
    [
      'intent recorded',
      { paymentIntentId: 'pi_1', statusHistory: history('PENDING', 'VALIDATED') },
      false,
    ],
  ])('%s -> %s', (_case, overrides, expected) => {
    expect(mayHoldUnrecordedPayment(anOrder(overrides))).toBe(expected);
  });
});

describe('Function: paymentsToGiveBack', () => {
  const order = anOrder({ id: 'o-1' });
  const mine = { orderId: 'o-1' };

  it('cancels an open authorization found by search, keyed by order and intent', () => {
    expect(
      paymentsToGiveBack(order, [{ id: 'pi_1', status: 'requires_capture', metadata: mine }]),
    ).toEqual([{ paymentIntentId: 'pi_1', action: 'cancel', idempotencyKey: 'o-1:void:pi_1' }]);
  });

  it('refunds a captured one and leaves canceled ones alone', () => {
    expect(
      paymentsToGiveBack(order, [
        { id: 'pi_1', status: 'succeeded', metadata: mine },
        { id: 'pi_2', status: 'canceled', metadata: mine },
        { id: 'pi_3', status: 'requires_payment_method', metadata: mine },
      ]),
    ).toEqual([
      { paymentIntentId: 'pi_1', action: 'refund', idempotencyKey: 'o-1:refund:pi_1' },
      { paymentIntentId: 'pi_3', action: 'cancel', idempotencyKey: 'o-1:void:pi_3' },
    ]);
  });

  it('keeps the per-step key for the intent recorded on the order', () => {
    expect(
      paymentsToGiveBack({ id: 'o-1', paymentIntentId: 'pi_9' }, [
        { id: 'pi_9', status: 'requires_capture' },
      ]),
    ).toEqual([{ paymentIntentId: 'pi_9', action: 'cancel', idempotencyKey: 'o-1:void' }]);
  });

  it('never touches an intent whose metadata names another order, and acts once per intent', () => {
    expect(
      paymentsToGiveBack(order, [
        { id: 'pi_x', status: 'requires_capture', metadata: { orderId: 'o-2' } },
        { id: 'pi_y', status: 'requires_capture' },
        { id: 'pi_1', status: 'requires_capture', metadata: mine },
        { id: 'pi_1', status: 'requires_capture', metadata: mine },
      ]).map((p) => p.paymentIntentId),
    ).toEqual(['pi_1']);
  });

  it('does nothing when nothing was found', () => {
    expect(paymentsToGiveBack(order, [])).toEqual([]);
  });
});
