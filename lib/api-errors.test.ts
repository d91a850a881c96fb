import { describe, expect, it } from 'vitest';
import { fromThrown, toApiError } from './api-errors';

describe('API errors: toApiError', () => {
  it.each([
    [{ errorType: 'OUT_OF_STOCK', message: 'no more' }, 'OUT_OF_STOCK'],
    [
      {
        errorType: 'OrderValidationError',
        message: 'INVALID_ORDER: email must be a valid email address',
      },
      'INVALID_ORDER',
    ],
    [
      { errorType: 'Lambda:Unhandled', message: 'PAYMENT_DECLINED: card declined' },
      'PAYMENT_DECLINED',
    ],
    [
      { errorType: 'Unauthorized', message: 'Not Authorized to access getOrder on type Query' },
      'UNAUTHORIZED',
    ],
    [{ message: 'boom' }, 'UNKNOWN'],
  ])('maps %o to %s', (error, code) => {
    expect(toApiError([error]).code).toBe(code);
  });

  it('keeps the server detail that names the field, and the shopper message', () => {
    const error = toApiError([
      {
        errorType: 'OrderValidationError',
        message: 'INVALID_ORDER: lines[0].quantity must be at most 99',
      },
    ]);
    expect(error.detail).toBe('lines[0].quantity must be at most 99');
    expect(error.message).toMatch(/not valid/);
  });

  it('reads the { errors } objects aws-amplify throws', () => {
    expect(
      fromThrown({ data: null, errors: [{ errorType: 'INSUFFICIENT_FUNDS', message: 'x' }] }).code,
    ).toBe('INSUFFICIENT_FUNDS');
    expect(fromThrown(new TypeError('Failed to fetch')).code).toBe('NETWORK');
  });
});
