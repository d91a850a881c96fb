/**
 * One error family for everything that can go wrong with an order. Each error carries a `code`
 * the UI understands and the message a shopper sees for it; the subclasses' `name`s are what the
 * state machine's Retry and Catch clauses match (Lambda reports `error.name` as the error type).
 */

export const ORDER_ERROR_CODES = [
  'INVALID_ORDER',
  'PRODUCT_UNAVAILABLE',
  'PRICE_CHANGED',
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PAYMENT_FAILED',
  'PAYMENT_NOT_CONFIRMED',
  'ORDER_NOT_FOUND',
  'RECEIPT_NOT_READY',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type OrderErrorCode = (typeof ORDER_ERROR_CODES)[number];

/** What the shopper reads for each code: what happened, then what to do next. */
export const SHOPPER_MESSAGES: Readonly<Record<OrderErrorCode, string>> = {
  INVALID_ORDER: 'Some order details are not valid. Please correct the field shown and try again.',
  PRODUCT_UNAVAILABLE:
    'One or more items in your order are no longer available. You have not been charged. Please remove them from your cart and order again.',
  PRICE_CHANGED:
    'The price of an item changed while your order was being placed. You have not been charged. Please review your cart and order again.',
  OUT_OF_STOCK:
    'Sorry, one or more items in your order just sold out. You have not been charged. Please update your cart and try again.',
  PAYMENT_DECLINED:
    'Your card was declined. You have not been charged. Please use a different card or payment method.',
  INSUFFICIENT_FUNDS:
    'Your card has insufficient funds. You have not been charged. Please use a different card or payment method.',
  PAYMENT_FAILED:
    'We could not process your payment. You have not been charged. Please try again or use a different payment method.',
  PAYMENT_NOT_CONFIRMED:
    'Your bank did not confirm this payment, so the order was cancelled. You have not been charged. Please order again and confirm with your bank, or use a different card.',
  ORDER_NOT_FOUND:
    'We could not find that order. Please check the link, or look for it in your order history.',
  RECEIPT_NOT_READY:
    'Your receipt is not ready yet; it appears once your payment is captured. Please try again in a moment.',
  SERVICE_UNAVAILABLE:
    'A service we rely on is unavailable right now. Any payment taken for this order has been released. Please try again in a few minutes.',
  INTERNAL:
    'Something went wrong on our side. Any payment taken for this order has been released. Please try again, or contact support with your order number.',
};

export const isOrderErrorCode = (value: unknown): value is OrderErrorCode =>
  typeof value === 'string' && (ORDER_ERROR_CODES as readonly string[]).includes(value);

export interface OrderErrorOptions {
  /** The input field at fault, in path form such as `lines[0].quantity`. */
  field?: string;
  cause?: unknown;
}

/** Base of the order error family: a code, the shopper message, and an operator detail. */
export class OrderError extends Error {
  readonly code: OrderErrorCode;
  readonly field: string | undefined;
  /** What went wrong in operator terms (the message without the code prefix). */
  readonly detail: string;

  constructor(code: OrderErrorCode, detail?: string, options: OrderErrorOptions = {}) {
    const text = detail ?? SHOPPER_MESSAGES[code];
    // The code leads the message so that it survives Lambda's {errorType, errorMessage} and
    // Step Functions' Cause, which keep nothing else of the error object.
    super(`${code}: ${text}`, { cause: options.cause });
    this.name = 'OrderError';
    this.code = code;
    this.field = options.field;
    this.detail = text;
  }

  get shopperMessage(): string {
    return SHOPPER_MESSAGES[this.code];
  }
}

/** A dependency failed in a way a retry may fix (throttling, timeouts, 5xx). Retried by the workflow. */
export class TransientError extends OrderError {
  constructor(detail: string, options: OrderErrorOptions = {}) {
    super('SERVICE_UNAVAILABLE', detail, options);
    this.name = 'TransientError';
  }
}

/** The order's content is not acceptable (bad input, unknown or inactive product, changed price). */
export class OrderValidationError extends OrderError {
  constructor(
    code: 'INVALID_ORDER' | 'PRODUCT_UNAVAILABLE' | 'PRICE_CHANGED',
    detail: string,
    options: OrderErrorOptions = {},
  ) {
    super(code, detail, options);
    this.name = 'OrderValidationError';
  }
}

/** The card issuer refused the authorization. */
export class PaymentDeclinedError extends OrderError {
  constructor(detail: string, options: OrderErrorOptions = {}) {
    super('PAYMENT_DECLINED', detail, options);
    this.name = 'PaymentDeclinedError';
  }
}

/** The card issuer refused the authorization for lack of funds. */
export class InsufficientFundsError extends OrderError {
  constructor(detail: string, options: OrderErrorOptions = {}) {
    super('INSUFFICIENT_FUNDS', detail, options);
    this.name = 'InsufficientFundsError';
  }
}

/** The payment could not be completed for a reason other than a decline (not retried). */
export class PaymentFailedError extends OrderError {
  constructor(detail: string, options: OrderErrorOptions = {}) {
    super('PAYMENT_FAILED', detail, options);
    this.name = 'PaymentFailedError';
  }
}

/**
 * The shopper's bank wants the shopper to confirm the payment (3-D Secure): not a failure. The
 * state machine catches it by name and waits for the bank's answer; the message is the intent's id.
 */
export class BankConfirmationRequired extends Error {
  constructor(readonly paymentIntentId: string) {
    super(paymentIntentId);
    this.name = 'BankConfirmationRequired';
  }
}

/** The shopper did not confirm the payment with their bank, or the bank refused the confirmation. */
export class PaymentNotConfirmedError extends OrderError {
  constructor(detail: string, options: OrderErrorOptions = {}) {
    super('PAYMENT_NOT_CONFIRMED', detail, options);
    this.name = 'PaymentNotConfirmedError';
  }
}

/** At least one line could not get the stock it needs. */
export class OutOfStockError extends OrderError {
  constructor(detail: string, options: OrderErrorOptions = {}) {
    super('OUT_OF_STOCK', detail, options);
    this.name = 'OutOfStockError';
  }
}

/** The order does not exist, or the caller may not see it. */
export class OrderNotFoundError extends OrderError {
  constructor(orderId: string, options: OrderErrorOptions = {}) {
    super('ORDER_NOT_FOUND', `order ${orderId} was not found`, options);
    this.name = 'OrderNotFoundError';
  }
}

/** A status change the order status machine does not allow. */
export class IllegalTransitionError extends OrderError {
  readonly from: string;
  readonly to: string;

  constructor(from: string, to: string) {
    super('INTERNAL', `an order cannot go from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.to = to;
  }
}

/** The error names Step Functions sees for business failures, and the code each stands for. */
const CODE_BY_ERROR_NAME: Readonly<Record<string, OrderErrorCode>> = {
  OrderValidationError: 'INVALID_ORDER',
  PaymentDeclinedError: 'PAYMENT_DECLINED',
  InsufficientFundsError: 'INSUFFICIENT_FUNDS',
  PaymentFailedError: 'PAYMENT_FAILED',
  PaymentNotConfirmedError: 'PAYMENT_NOT_CONFIRMED',
  // The wait for the shopper's bank ran out (its Catch names it so; see workflow.ts).
  BankConfirmationTimedOut: 'PAYMENT_NOT_CONFIRMED',
  OutOfStockError: 'OUT_OF_STOCK',
  OrderNotFoundError: 'ORDER_NOT_FOUND',
  TransientError: 'SERVICE_UNAVAILABLE',
  'States.Timeout': 'SERVICE_UNAVAILABLE',
};

export interface WorkflowFailure {
  code: OrderErrorCode;
  /** What the shopper reads (stored as the order's failureReason). */
  shopperMessage: string;
  /** What happened in operator terms (published to OrderErrors). */
  detail: string;
}

/** What a Catch clause puts at `$.error`. */
export interface StepFunctionsError {
  Error?: string | null;
  Cause?: string | null;
}

const causeMessage = (cause: string | null | undefined): string => {
  if (!cause) return '';
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed) {
      const message = (parsed as { errorMessage?: unknown }).errorMessage;
      if (typeof message === 'string') return message;
    }
  } catch {
    // A Cause that is not Lambda's JSON (States.Timeout, a plain string) is its own message.
  }
  return cause;
};

const CODE_PREFIX = /^([A-Z_]+): ([\s\S]*)$/;

/**
 * Turns the `$.error` a Catch clause recorded back into a code and the shopper's message. The code
 * is the one the step's OrderError carried (it leads the message) when present, otherwise the one
 * its error name stands for, otherwise INTERNAL.
 */
export const failureFromStepFunctionsError = (
  error: StepFunctionsError | null | undefined,
): WorkflowFailure => {
  const name = error?.Error ?? '';
  const message = causeMessage(error?.Cause);
  const prefixed = CODE_PREFIX.exec(message);
  const prefixCode = prefixed?.[1];
  let code: OrderErrorCode = CODE_BY_ERROR_NAME[name] ?? 'INTERNAL';
  let detail = message;
  if (prefixed && isOrderErrorCode(prefixCode) && name in CODE_BY_ERROR_NAME) {
    code = prefixCode;
    detail = prefixed[2] ?? '';
  }
  const described = detail ? `${name || 'Error'}: ${detail}` : name || 'unknown error';
  return { code, shopperMessage: SHOPPER_MESSAGES[code], detail: described };
};
