import { describe, expect, it } from 'vitest';
import { OrderValidationError } from './errors';
import { mergeLines, parseOrderRequest } from './order-input';

const validInput = () => ({
  idempotencyKey: '0b9d3f3e-4a4c-4f7e-9a61-2f6f0f0d1a11',
  shippingAddress: {
    name: 'Ada Lovelace',
    line1: '1 Analytical Way',
    city: 'London',
    postalCode: 'N1 9GU',
    country: 'gb',
  },
  lines: [{ productId: 'p-mug', quantity: 2 }],
  paymentMethodId: 'pm_card_visa',
});

const failureOf = (input: unknown): OrderValidationError => {
  try {
    parseOrderRequest(input);
  } catch (error) {
    if (error instanceof OrderValidationError) return error;
    throw error;
  }
  throw new Error('expected the input to be refused');
};

describe('Function: parseOrderRequest', () => {
  it('accepts a complete order, trimming text and upper-casing the country', () => {
    // Act
    const request = parseOrderRequest({
      ...validInput(),
      shippingAddress: { ...validInput().shippingAddress, name: ' Ada Lovelace ' },
    });
    // Assess
    expect(request.shippingAddress.name).toBe('Ada Lovelace');
    expect(request.shippingAddress.country).toBe('GB');
    expect(request.shippingAddress.line2).toBeNull();
    expect(request.lines).toEqual([{ productId: 'p-mug', quantity: 2 }]);
  });

  it('ignores prices a client sends with its lines', () => {
    const request = parseOrderRequest({
      ...validInput(),
      lines: [{ productId: 'p-mug', quantity: 1, unitPriceCents: 1 }],
    });
    expect(request.lines[0]).toEqual({ productId: 'p-mug', quantity: 1 });
  });

  const mutate = (change: (input: Record<string, unknown>) => void) => {
    const input = validInput() as unknown as Record<string, unknown>;
    change(input);
    return input;
  };
  const address = (input: Record<string, unknown>) =>
    input.shippingAddress as Record<string, unknown>;

  it.each([
    [
      'a missing idempotency key',
      (i: Record<string, unknown>) => delete i.idempotencyKey,
      'idempotencyKey',
      /is required/,
    ],
    [
      'a short idempotency key',
      (i: Record<string, unknown>) => (i.idempotencyKey = 'abc'),
      'idempotencyKey',
      /8 to 128/,
    ],
    [
      'an idempotency key with spaces',
      (i: Record<string, unknown>) => (i.idempotencyKey = 'abc def ghi'),
      'idempotencyKey',
      /letters, digits/,
    ],
    [
      'a missing address',
      (i: Record<string, unknown>) => delete i.shippingAddress,
      'shippingAddress',
      /is required/,
    ],
    [
      'a missing name',
      (i: Record<string, unknown>) => delete address(i).name,
      'shippingAddress.name',
      /is required/,
    ],
    [
      'a blank name',
      (i: Record<string, unknown>) => (address(i).name = '   '),
      'shippingAddress.name',
      /is required/,
    ],
    [
      'a 101-character name',
      (i: Record<string, unknown>) => (address(i).name = 'x'.repeat(101)),
      'shippingAddress.name',
      /at most 100/,
    ],
    [
      'a missing line1',
      (i: Record<string, unknown>) => delete address(i).line1,
      'shippingAddress.line1',
      /is required/,
    ],
    [
      'a 201-character line2',
      (i: Record<string, unknown>) => (address(i).line2 = 'x'.repeat(201)),
      'shippingAddress.line2',
      /at most 200/,
    ],
    [
      'a missing city',
      (i: Record<string, unknown>) => delete address(i).city,
      'shippingAddress.city',
      /is required/,
    ],
    [
      'a 101-character region',
      (i: Record<string, unknown>) => (address(i).region = 'x'.repeat(101)),
      'shippingAddress.region',
      /at most 100/,
    ],
    [
      'a postal code with symbols',
      (i: Record<string, unknown>) => (address(i).postalCode = '12#45'),
      'shippingAddress.postalCode',
      /letters, digits/,
    ],
    [
      'a 21-character postal code',
      (i: Record<string, unknown>) => (address(i).postalCode = '1'.repeat(21)),
      'shippingAddress.postalCode',
      /at most 20/,
    ],
    [
      'a three-letter country',
      (i: Record<string, unknown>) => (address(i).country = 'GBR'),
      'shippingAddress.country',
      /two-letter/,
    ],
    ['missing lines', (i: Record<string, unknown>) => delete i.lines, 'lines', /is required/],
    ['no lines', (i: Record<string, unknown>) => (i.lines = []), 'lines', /at least one line/],
    [
      '1,000 lines',
      (i: Record<string, unknown>) =>
        (i.lines = Array.from({ length: 1000 }, (_, n) => ({ productId: `p${n}`, quantity: 1 }))),
      'lines',
      /at most 50 lines/,
    ],
    [
      'lines that are not a list',
      (i: Record<string, unknown>) => (i.lines = 'p-mug'),
      'lines',
      /list of lines/,
    ],
    [
      'a line without product',
      (i: Record<string, unknown>) => (i.lines = [{ quantity: 1 }]),
      'lines[0].productId',
      /is required/,
    ],
    [
      'an empty product id',
      (i: Record<string, unknown>) => (i.lines = [{ productId: '', quantity: 1 }]),
      'lines[0].productId',
      /is required/,
    ],
    [
      'a zero quantity',
      (i: Record<string, unknown>) => (i.lines = [{ productId: 'p', quantity: 0 }]),
      'lines[0].quantity',
      /at least 1/,
    ],
    [
      'a negative quantity',
      (i: Record<string, unknown>) => (i.lines = [{ productId: 'p', quantity: -3 }]),
      'lines[0].quantity',
      /at least 1/,
    ],
    [
      'a huge quantity',
      (i: Record<string, unknown>) => (i.lines = [{ productId: 'p', quantity: 1e9 }]),
      'lines[0].quantity',
      /at most 99/,
    ],
    [
      'a fractional quantity',
      (i: Record<string, unknown>) => (i.lines = [{ productId: 'p', quantity: 1.5 }]),
      'lines[0].quantity',
      /whole number/,
    ],
    [
      'a quantity as text',
      (i: Record<string, unknown>) => (i.lines = [{ productId: 'p', quantity: '2' }]),
      'lines[0].quantity',
      /must be a number/,
    ],
    [
      'a bad second line',
      (i: Record<string, unknown>) =>
        (i.lines = [
          { productId: 'p', quantity: 1 },
          { productId: 'q', quantity: 100 },
        ]),
      'lines[1].quantity',
      /at most 99/,
    ],
    [
      'a missing payment method',
      (i: Record<string, unknown>) => delete i.paymentMethodId,
      'paymentMethodId',
      /is required/,
    ],
    [
      'a payment method that is not a pm_ id',
      (i: Record<string, unknown>) => (i.paymentMethodId = 'tok_visa'),
      'paymentMethodId',
      /payment method id/,
    ],
  ])('refuses %s as INVALID_ORDER naming %s', (_case, change, field, message) => {
    // Act
    const error = failureOf(mutate(change));
    // Assess
    expect(error.code).toBe('INVALID_ORDER');
    expect(error.name).toBe('OrderValidationError');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toMatch(message);
  });

  it.each([null, undefined, 'order', 42])('refuses %s as a whole', (input) => {
    expect(failureOf(input).field).toBe('input');
  });

  it('lists every fault, not only the first', () => {
    const error = failureOf({ ...validInput(), idempotencyKey: 'nope', lines: [] });
    expect(error.message).toMatch(/idempotencyKey .*; lines /);
  });

  it('drops an email address a client sends: mail goes to the signed-in shopper only', () => {
    const request = parseOrderRequest({ ...validInput(), email: 'stranger@example.com' });
    expect(request).not.toHaveProperty('email');
  });
});

describe('Function: mergeLines', () => {
  it('merges lines of the same product, keeping first-seen order', () => {
    expect(
      mergeLines([
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 2 },
        { productId: 'a', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'a', quantity: 4 },
      { productId: 'b', quantity: 2 },
    ]);
  });

  it('refuses merged quantities over 99, naming the first line of that product', () => {
    const error = failureOf({
      ...validInput(),
      lines: [
        { productId: 'x', quantity: 1 },
        { productId: 'a', quantity: 60 },
        { productId: 'a', quantity: 40 },
      ],
    });
    expect(error.field).toBe('lines[1].quantity');
    expect(error.message).toMatch(/at most 99/);
  });

  it('keeps merged quantities of exactly 99', () => {
    expect(
      mergeLines([
        { productId: 'a', quantity: 50 },
        { productId: 'a', quantity: 49 },
      ]),
    ).toEqual([{ productId: 'a', quantity: 99 }]);
  });
});
