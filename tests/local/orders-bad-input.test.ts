/**
 * Bad input through the API (placeOrder): a clear INVALID_ORDER naming the field, or AppSync's own
 * validation error for wrong types and missing required arguments; nothing stored, queued or charged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { configureAmplify } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { createProduct, type TestProduct } from '../support/catalog';
import {
  graphqlAsShopper,
  listMyOrders,
  orderRequest,
  PLACE_ORDER_DOCUMENT,
} from '../support/orders';
import { allPaymentIntents } from '../support/payments';
import { createShopper, type Shopper } from '../support/shoppers';
import { queueDepth } from '../support/workflow';

let backend: Backend;
let shopper: Shopper;
let product: TestProduct;
let retired: TestProduct;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  configureAmplify(backend);
  shopper = await createShopper(backend, 'bad-input');
  product = await createProduct(backend, { stock: 5 });
  retired = await createProduct(backend, { stock: 5, active: false });
});

afterAll(() => backend?.close());

async function paymentIntentCount(): Promise<number> {
  return (await allPaymentIntents(backend)).length;
}

let before: { depth: { visible: number; inFlight: number }; intents: number };
beforeEach(async () => {
  before = {
    depth: await queueDepth(backend, backend.ordersQueueUrl),
    intents: await paymentIntentCount(),
  };
});

/** Nothing stored for the shopper, nothing queued, nothing charged. */
async function expectNothingHappened(): Promise<void> {
  expect(await listMyOrders(shopper)).toEqual([]);
  expect(await queueDepth(backend, backend.ordersQueueUrl)).toEqual(before.depth);
  expect(await paymentIntentCount()).toBe(before.intents);
}

const line = (quantity: number, productId?: string) => [
  { productId: productId ?? product.id, quantity },
];

describe('placeOrder refuses bad input with INVALID_ORDER naming the field', () => {
  it.each<[string, () => Record<string, unknown>, string]>([
    ['a zero quantity', () => ({ lines: line(0) }), 'lines[0].quantity'],
    ['a negative quantity', () => ({ lines: line(-3) }), 'lines[0].quantity'],
    ['a huge quantity', () => ({ lines: line(1_000_000) }), 'lines[0].quantity'],
    [
      'an unknown product',
      () => ({ lines: line(1, '00000000-0000-4000-8000-000000000000') }),
      'lines[0].productId',
    ],
    ['an inactive product', () => ({ lines: line(1, retired.id) }), 'lines[0].productId'],
    ['no lines', () => ({ lines: [] }), 'lines'],
    [
      '1,000 lines',
      () => ({
        lines: Array.from({ length: 1_000 }, () => ({ productId: product.id, quantity: 1 })),
      }),
      'lines',
    ],
    [
      'the same product over the limit across lines',
      () => ({ lines: [...line(60), ...line(60)] }),
      'lines[0].quantity',
    ],
    ['an empty idempotency key', () => ({ idempotencyKey: '' }), 'idempotencyKey'],
    ['a bad payment method', () => ({ paymentMethodId: 'visa' }), 'paymentMethodId'],
    [
      'a shipping address without a city',
      () => ({
        shippingAddress: {
          name: 'A',
          line1: '1 Main St',
          city: ' ',
          postalCode: '1',
          country: 'US',
        },
      }),
      'shippingAddress.city',
    ],
    [
      'a country that is not a code',
      () => ({
        shippingAddress: {
          name: 'A',
          line1: '1 Main St',
          city: 'Town',
          postalCode: '1',
          country: 'United States',
        },
      }),
      'shippingAddress.country',
    ],
  ])('%s', async (_case, override, field) => {
    const variables = { ...orderRequest(shopper, line(1)), ...override() };
    const { data, errors } = await graphqlAsShopper(shopper, PLACE_ORDER_DOCUMENT, variables);

    expect((data as { placeOrder?: unknown } | null)?.placeOrder ?? null).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^INVALID_ORDER: /);
    expect(errors[0]?.message).toContain(field);
    await expectNothingHappened();
  });
});

describe('placeOrder refuses wrong types and missing arguments with GraphQL validation errors', () => {
  it.each<[string, string, Record<string, unknown>, RegExp]>([
    [
      'a quantity that is text',
      PLACE_ORDER_DOCUMENT,
      { lines: [{ productId: 'p', quantity: 'two' }] },
      /quantity|Int/,
    ],
    [
      'a quantity beyond a 32-bit integer',
      PLACE_ORDER_DOCUMENT,
      { lines: [{ productId: 'p', quantity: 2 ** 40 }] },
      /quantity|Int/,
    ],
    [
      'a fractional quantity',
      PLACE_ORDER_DOCUMENT,
      { lines: [{ productId: 'p', quantity: 1.5 }] },
      /quantity|Int/,
    ],
    [
      'lines that are not a list of lines',
      PLACE_ORDER_DOCUMENT,
      { lines: 'everything' },
      /lines|CartLine/,
    ],
    [
      'an email address to send the order to (placeOrder takes none)',
      PLACE_ORDER_DOCUMENT.replace(
        'idempotencyKey: $idempotencyKey',
        'idempotencyKey: $idempotencyKey email: "x@example.com"',
      ),
      {},
      /email/,
    ],
    [
      'a missing idempotency key',
      PLACE_ORDER_DOCUMENT,
      { idempotencyKey: undefined },
      /idempotencyKey/,
    ],
    [
      'a missing idempotency key argument in the document',
      PLACE_ORDER_DOCUMENT.replace('$idempotencyKey: String!', '').replace(
        'idempotencyKey: $idempotencyKey',
        '',
      ),
      {},
      /idempotencyKey/,
    ],
  ])('%s', async (_case, query, override, names) => {
    const variables = { ...orderRequest(shopper, line(1)), ...override };
    for (const [key, value] of Object.entries(variables))
      if (value === undefined) delete variables[key as keyof typeof variables];
    const { data, errors } = await graphqlAsShopper(shopper, query, variables);

    expect((data as { placeOrder?: unknown } | null)?.placeOrder ?? null).toBeNull();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join('\n')).toMatch(names);
    await expectNothingHappened();
  });
});
