import { isOrderErrorCode, SHOPPER_MESSAGES, type OrderErrorCode } from '@/amplify/domain/errors';

/** A GraphQL error as AppSync (and aws-amplify) report it. */
export interface GraphQLErrorLike {
  message?: string;
  errorType?: string | null;
  errorInfo?: unknown;
}

const CODE_BY_ERROR_TYPE: Readonly<Record<string, OrderErrorCode>> = {
  OrderValidationError: 'INVALID_ORDER',
  PaymentDeclinedError: 'PAYMENT_DECLINED',
  InsufficientFundsError: 'INSUFFICIENT_FUNDS',
  PaymentFailedError: 'PAYMENT_FAILED',
  OutOfStockError: 'OUT_OF_STOCK',
  OrderNotFoundError: 'ORDER_NOT_FOUND',
  TransientError: 'SERVICE_UNAVAILABLE',
};

export type ApiErrorCode = OrderErrorCode | 'UNAUTHORIZED' | 'NETWORK' | 'UNKNOWN';

/** A refusal from the API in terms the UI can show: a code, the shopper's message, the detail. */
export class StorefrontApiError extends Error {
  readonly code: ApiErrorCode;
  readonly detail: string;

  constructor(code: ApiErrorCode, message: string, detail: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorefrontApiError';
    this.code = code;
    this.detail = detail;
  }
}

/** What a shopper reads for an API error code. */
export const shopperMessage = (code: ApiErrorCode): string => {
  switch (code) {
    case 'UNAUTHORIZED':
      return 'You are not allowed to see this. Please sign in with the account that placed it.';
    case 'NETWORK':
      return 'We could not reach the store. Check your connection and try again.';
    case 'UNKNOWN':
      return 'Something went wrong. Please try again.';
    default:
      return SHOPPER_MESSAGES[code];
  }
};

const CODE_PREFIX = /^([A-Z_]+): ([\s\S]*)$/;

/**
 * Maps GraphQL errors to one StorefrontApiError. The code comes from errorType when it is a code,
 * else from the `CODE: detail` prefix the order errors put in their message, else from the error
 * class name AppSync reports as errorType.
 */
export const toApiError = (
  errors: readonly GraphQLErrorLike[],
  cause?: unknown,
): StorefrontApiError => {
  const first = errors[0] ?? {};
  const message = first.message ?? 'Unknown error';
  const prefixed = CODE_PREFIX.exec(message);
  const errorType = first.errorType ?? '';
  let code: ApiErrorCode = 'UNKNOWN';
  let detail = message;
  if (isOrderErrorCode(errorType)) code = errorType;
  else if (prefixed && isOrderErrorCode(prefixed[1])) code = prefixed[1];
  else if (CODE_BY_ERROR_TYPE[errorType]) code = CODE_BY_ERROR_TYPE[errorType];
  else if (/unauthori[sz]ed|not authorized/i.test(`${errorType} ${message}`)) code = 'UNAUTHORIZED';
  if (prefixed && isOrderErrorCode(prefixed[1])) detail = prefixed[2] ?? '';
  return new StorefrontApiError(code, shopperMessage(code), detail, { cause });
};

/** Turns whatever aws-amplify threw (it throws `{ data, errors }` objects too) into a StorefrontApiError. */
export const fromThrown = (thrown: unknown): StorefrontApiError => {
  if (thrown instanceof StorefrontApiError) return thrown;
  if (thrown && typeof thrown === 'object' && 'errors' in thrown) {
    const errors = (thrown as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0)
      return toApiError(errors as GraphQLErrorLike[], thrown);
  }
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  if (/network|fetch|Failed to fetch/i.test(text)) {
    return new StorefrontApiError('NETWORK', shopperMessage('NETWORK'), text, { cause: thrown });
  }
  return toApiError([{ message: text }], thrown);
};
