import { z } from 'zod';
import { OrderValidationError } from './errors';
import type { ShippingAddress } from './order';

/**
 * Limits on what a shopper may order in one go. Lines for the same product are merged into one
 * line (their quantities added), and the merged quantity must still be within the limit.
 */
export const MAX_LINES = 50;
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 99;
/** Idempotency keys: 8 to 128 letters, digits, `-` or `_` (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
/** Stripe payment method ids, e.g. `pm_card_visa` or `pm_1Nv...`. */
export const PAYMENT_METHOD_PATTERN = /^pm_[A-Za-z0-9_]{1,250}$/;

const text = (min: number, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(min, min === 1 ? 'is required' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

const optionalText = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

const shippingAddressSchema = z.object(
  {
    name: text(1, 100),
    line1: text(1, 200),
    line2: optionalText(200),
    city: text(1, 100),
    region: optionalText(100),
    postalCode: text(1, 20).regex(
      /^[A-Za-z0-9 -]+$/,
      'must contain only letters, digits, spaces or -',
    ),
    country: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as US')
      .transform((value) => value.toUpperCase()),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an address') },
);

const lineSchema = z.object(
  {
    productId: text(1, 128),
    quantity: z
      .number({
        error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number'),
      })
      .int('must be a whole number')
      .min(MIN_QUANTITY, `must be at least ${MIN_QUANTITY}`)
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`),
  },
  { error: 'must be a line with a productId and a quantity' },
);

/**
 * The placeOrder arguments as a shopper's client sends them; anything else (prices, an email
 * address) is dropped: order emails go to the signed-in shopper's own verified address.
 */
export const placeOrderInputSchema = z.object(
  {
    idempotencyKey: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
      .regex(IDEMPOTENCY_KEY_PATTERN, 'must be 8 to 128 letters, digits, - or _'),
    shippingAddress: shippingAddressSchema,
    lines: z
      .array(lineSchema, {
        error: (issue) => (issue.input === undefined ? 'is required' : 'must be a list of lines'),
      })
      .min(1, 'must contain at least one line')
      .max(MAX_LINES, `must contain at most ${MAX_LINES} lines`),
    paymentMethodId: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
      .regex(PAYMENT_METHOD_PATTERN, 'must be a payment method id such as pm_card_visa'),
  },
  { error: 'must be an object with the order details' },
);

export interface RequestedLine {
  productId: string;
  quantity: number;
}

/** A placeOrder request that passed validation, lines merged by product. */
export interface OrderRequest {
  idempotencyKey: string;
  shippingAddress: ShippingAddress;
  lines: RequestedLine[];
  paymentMethodId: string;
}

/** Writes a zod path as a field name a person can find: `lines[0].quantity`. */
export const fieldName = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((name, key) => {
    if (typeof key === 'number') return `${name}[${key}]`;
    return name ? `${name}.${String(key)}` : String(key);
  }, '') || 'input';

/**
 * Validates placeOrder's arguments; throws OrderValidationError(INVALID_ORDER) naming the first
 * field at fault (all faults listed in the detail).
 */
export const parseOrderRequest = (input: unknown): OrderRequest => {
  const parsed = placeOrderInputSchema.safeParse(input);
  if (!parsed.success) {
    const faults = parsed.error.issues.map((issue) => `${fieldName(issue.path)} ${issue.message}`);
    const field = fieldName(parsed.error.issues[0]?.path ?? []);
    throw new OrderValidationError('INVALID_ORDER', faults.join('; '), { field });
  }
  return { ...parsed.data, lines: mergeLines(parsed.data.lines) };
};

/** Merges lines for the same product, keeping first-seen order; the sum must stay within limits. */
export const mergeLines = (lines: readonly RequestedLine[]): RequestedLine[] => {
  const merged = new Map<string, { line: RequestedLine; index: number }>();
  lines.forEach((line, index) => {
    const seen = merged.get(line.productId);
    if (!seen) {
      merged.set(line.productId, { line: { ...line }, index });
      return;
    }
    seen.line.quantity += line.quantity;
    if (seen.line.quantity > MAX_QUANTITY) {
      throw new OrderValidationError(
        'INVALID_ORDER',
        `lines[${seen.index}].quantity must be at most ${MAX_QUANTITY} for product ${line.productId} (all its lines added together)`,
        { field: `lines[${seen.index}].quantity` },
      );
    }
  });
  return [...merged.values()].map(({ line }) => line);
};
