import { describe, expect, it } from 'vitest';
import {
  failureFromStepFunctionsError,
  InsufficientFundsError,
  OrderError,
  OrderNotFoundError,
  OrderValidationError,
  OutOfStockError,
  PaymentDeclinedError,
  PaymentFailedError,
  SHOPPER_MESSAGES,
  TransientError,
  ORDER_ERROR_CODES,
} from './errors';

/** What the Lambda runtime reports for a thrown error, as Step Functions stores it in Cause. */
const lambdaCause = (error: Error) =>
  JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: ['at somewhere'] });

describe('Function: OrderError family', () => {
  it.each([
    [new TransientError('stripe timed out'), 'TransientError', 'SERVICE_UNAVAILABLE'],
    [
      new OrderValidationError('PRICE_CHANGED', 'mug price moved'),
      'OrderValidationError',
      'PRICE_CHANGED',
    ],
    [new PaymentDeclinedError('generic_decline'), 'PaymentDeclinedError', 'PAYMENT_DECLINED'],
    [
      new InsufficientFundsError('insufficient_funds'),
      'InsufficientFundsError',
      'INSUFFICIENT_FUNDS',
    ],
    [new PaymentFailedError('requires_action'), 'PaymentFailedError', 'PAYMENT_FAILED'],
    [new OutOfStockError('mug'), 'OutOfStockError', 'OUT_OF_STOCK'],
    [new OrderNotFoundError('o-1'), 'OrderNotFoundError', 'ORDER_NOT_FOUND'],
  ])('names %s as Step Functions matches it (%s, %s)', (error, name, code) => {
    expect(error).toBeInstanceOf(OrderError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message.startsWith(`${code}: `)).toBe(true);
    expect(error.shopperMessage).toBe(SHOPPER_MESSAGES[code as keyof typeof SHOPPER_MESSAGES]);
  });

  it('passes the cause on', () => {
    const cause = new Error('socket hang up');
    expect(new TransientError('stripe', { cause }).cause).toBe(cause);
  });

  it.each(ORDER_ERROR_CODES.map((c) => [c]))(
    'has a shopper message for %s that says what to do next',
    (code) => {
      expect(SHOPPER_MESSAGES[code]).toMatch(/Please/);
    },
  );
});

describe('Function: failureFromStepFunctionsError', () => {
  it.each([
    [
      new PaymentDeclinedError('StripeCardError (generic_decline): Your card was declined.'),
      'PAYMENT_DECLINED',
    ],
    [new InsufficientFundsError('insufficient_funds'), 'INSUFFICIENT_FUNDS'],
    [new PaymentFailedError('requires_action'), 'PAYMENT_FAILED'],
    [new OutOfStockError('not enough mugs'), 'OUT_OF_STOCK'],
    [new OrderValidationError('PRODUCT_UNAVAILABLE', 'mug retired'), 'PRODUCT_UNAVAILABLE'],
    [new OrderValidationError('PRICE_CHANGED', 'mug price moved'), 'PRICE_CHANGED'],
    [new TransientError('stripe kept timing out'), 'SERVICE_UNAVAILABLE'],
    [new OrderNotFoundError('o-1'), 'ORDER_NOT_FOUND'],
  ])('maps a caught %s back to %s with its shopper message', (error, code) => {
    // Act
    const failure = failureFromStepFunctionsError({ Error: error.name, Cause: lambdaCause(error) });
    // Assess
    expect(failure.code).toBe(code);
    expect(failure.shopperMessage).toBe(SHOPPER_MESSAGES[code as keyof typeof SHOPPER_MESSAGES]);
    expect(failure.detail).toContain(error.name);
  });

  it.each([
    [{ Error: 'States.Timeout', Cause: '' }, 'SERVICE_UNAVAILABLE'],
    [{ Error: 'Lambda.ServiceException', Cause: 'Lambda is sad' }, 'INTERNAL'],
    [{ Error: 'States.TaskFailed', Cause: 'not json' }, 'INTERNAL'],
    [{ Error: 'TypeError', Cause: lambdaCause(new TypeError('x is undefined')) }, 'INTERNAL'],
    // A code prefix only counts from an error of our family.
    [{ Error: 'Error', Cause: JSON.stringify({ errorMessage: 'OUT_OF_STOCK: fake' }) }, 'INTERNAL'],
    [{}, 'INTERNAL'],
  ])('maps %j to %s', (error, code) => {
    expect(failureFromStepFunctionsError(error).code).toBe(code);
  });

  it('maps a missing error to INTERNAL', () => {
    expect(failureFromStepFunctionsError(undefined)).toMatchObject({
      code: 'INTERNAL',
      detail: 'unknown error',
    });
  });

  it('keeps the operator detail of the step', () => {
    const error = new OutOfStockError('not enough stock of p-mug for 3');
    expect(
      failureFromStepFunctionsError({ Error: error.name, Cause: lambdaCause(error) }).detail,
    ).toBe('OutOfStockError: not enough stock of p-mug for 3');
  });
});
