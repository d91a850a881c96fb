/**
 * Hardening: placeOrder from outside. Order emails go only to the signed-in shopper's verified
 * address (there is no argument to name another); bad input of every kind is refused with
 * nothing stored, queued or reserved.
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PLACE_ORDER_DOCUMENT } from '../support/orders';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backendAnswers, itemCount, rawGraphql } from '../support/attack';
import { connectBackend, type Backend } from '../support/backend';
import { createProduct, readStock, type TestProduct } from '../support/catalog';
import { createShopper, signIn, type Shopper } from '../support/shoppers';

let backend: Backend;
let shopper: Shopper;
let product: TestProduct;
/** Never validly ordered: its stock must stay exactly as made. */
let untouched: TestProduct;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  shopper = await createShopper(backend, 'hardening-orders');
  product = await createProduct(backend, { stock: 5 });
  untouched = await createProduct(backend, { stock: 5 });
});

afterAll(() => backend?.close());

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Analytical Way',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

const variables = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: `hardening-${Date.now()}-${Math.floor(Math.random() * 1e9)}`,
  shippingAddress: ADDRESS,
  lines: [{ productId: product.id, quantity: 1 }],
  paymentMethodId: 'pm_card_visa',
  ...overrides,
});

describe('hardening: order emails go only to the signed-in shopper', () => {
  it('placeOrder has no email argument: naming a stranger is a validation error and stores nothing', async () => {
    const before = await itemCount(backend, backend.orderTable);
    const answer = await rawGraphql(
      backend,
      {
        query: PLACE_ORDER_DOCUMENT.replace(
          'idempotencyKey: $idempotencyKey',
          'idempotencyKey: $idempotencyKey email: "stranger@example.com"',
        ),
        variables: variables(),
      },
      { token: shopper.accessToken },
    );
    expect(answer.body.errors?.[0]?.message).toMatch(/Validation error of type UnknownArgument/);
    expect(await itemCount(backend, backend.orderTable)).toBe(before);
  });

  it('an email smuggled into the variables is ignored: the order mails the shopper’s verified address', async () => {
    const answer = await rawGraphql(
      backend,
      { query: PLACE_ORDER_DOCUMENT, variables: { ...variables(), email: 'stranger@example.com' } },
      { token: shopper.accessToken },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.['placeOrder']).toMatchObject({ email: shopper.email });
  });

  it('the order placed normally carries the shopper’s own verified address', async () => {
    const answer = await rawGraphql(
      backend,
      { query: PLACE_ORDER_DOCUMENT, variables: variables() },
      { token: shopper.accessToken },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.['placeOrder']).toMatchObject({
      email: shopper.email,
      status: 'PENDING',
    });
  });

  it('a shopper whose address was never verified cannot place an order, and nothing is stored', async () => {
    const email = `unverified-${Date.now()}@example.com`;
    await backend.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: backend.userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await backend.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: backend.userPoolId,
        Username: email,
        Password: 'Unverified-Passw0rd!',
        Permanent: true,
      }),
    );
    const unverified = await signIn(backend, email, 'Unverified-Passw0rd!');
    const before = await itemCount(backend, backend.orderTable);
    const answer = await rawGraphql(
      backend,
      { query: PLACE_ORDER_DOCUMENT, variables: variables() },
      { token: unverified.accessToken },
    );
    expect(answer.body.errors?.[0]?.message).toMatch(/no verified email address/);
    expect(await itemCount(backend, backend.orderTable)).toBe(before);
  });
});

describe('hardening: bad placeOrder input stores, queues and reserves nothing', () => {
  let before: { orders: number; stock: number };
  beforeAll(async () => {
    before = {
      orders: await itemCount(backend, backend.orderTable),
      stock: (await readStock(backend, untouched.id)).stock,
    };
  });

  it.each([
    ['a quantity of 0', { lines: [{ productId: 'P', quantity: 0 }] }],
    ['a negative quantity', { lines: [{ productId: 'P', quantity: -5 }] }],
    ['a quantity of 100', { lines: [{ productId: 'P', quantity: 100 }] }],
    ['a quantity of 2^31', { lines: [{ productId: 'P', quantity: 2147483648 }] }],
    ['a fractional quantity', { lines: [{ productId: 'P', quantity: 1.5 }] }],
    ['no lines', { lines: [] }],
    ['51 lines', { lines: Array.from({ length: 51 }, () => ({ productId: 'P', quantity: 1 })) }],
    ['a product that does not exist', { lines: [{ productId: 'no-such-product', quantity: 1 }] }],
    [
      'a product id of 10,000 characters',
      { lines: [{ productId: 'x'.repeat(10_000), quantity: 1 }] },
    ],
    ['an idempotency key of 3 characters', { idempotencyKey: 'abc' }],
    ['an idempotency key with a path in it', { idempotencyKey: '../../etc/passwd' }],
    ['a card token instead of a payment method', { paymentMethodId: 'tok_visa' }],
    ['a payment method of 5,000 characters', { paymentMethodId: `pm_${'a'.repeat(5_000)}` }],
    ['a three-letter country', { shippingAddress: { ...ADDRESS, country: 'USA' } }],
    ['markup as a postal code', { shippingAddress: { ...ADDRESS, postalCode: '<script>' } }],
    ['a 300-character name', { shippingAddress: { ...ADDRESS, name: 'n'.repeat(300) } }],
    ['an address without a city', { shippingAddress: { ...ADDRESS, city: '   ' } }],
    ['lines that are a string', { lines: 'everything' }],
    ['a shipping address that is a string', { shippingAddress: 'somewhere' }],
  ])('%s is refused', async (_name, overrides) => {
    const v = variables(overrides as Record<string, unknown>);
    const lines = JSON.parse(
      JSON.stringify(v.lines).replaceAll('"P"', JSON.stringify(untouched.id)),
    ) as unknown;
    const answer = await rawGraphql(
      backend,
      { query: PLACE_ORDER_DOCUMENT, variables: { ...v, lines } },
      { token: shopper.accessToken },
    );
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.[0]?.message).toEqual(expect.any(String));
    expect(answer.body.data?.['placeOrder'] ?? null).toBeNull();
  });

  it('prices sent by the client are ignored (the server prices from the catalog)', async () => {
    const answer = await rawGraphql(
      backend,
      {
        query: PLACE_ORDER_DOCUMENT.replace('status\n', 'status\n      totalCents\n'),
        variables: variables({
          lines: [{ productId: untouched.id, quantity: 1, unitPriceCents: 1 }],
        }),
      },
      { token: shopper.accessToken },
    );
    // CartLineInput has no price: AppSync refuses the field outright.
    expect(answer.body.errors?.[0]?.message).toMatch(/unitPriceCents|WrongType|Validation/);
  });

  it('nothing was stored or reserved, and the backend answers', async () => {
    expect(await itemCount(backend, backend.orderTable)).toBe(before.orders);
    expect((await readStock(backend, untouched.id)).stock).toBe(before.stock);
    expect(await backendAnswers(backend)).toBe(true);
  });
});
