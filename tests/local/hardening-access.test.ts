/**
 * Hardening: who may read and change what, tried from outside. One shopper's order is out of
 * every other caller's reach by query, list, index, subscription and receipt link; no model
 * mutation works for a guest or a shopper (only the backend's functions and ADMINS write); forged,
 * tampered and foreign tokens, wrong API keys and bad IAM signatures get 401 over HTTP and a
 * connection_error over the socket. Afterwards the order and the catalog are as they were.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localS3Client } from '../../local/engines/s3';
import {
  backendAnswers,
  itemCount,
  rawGraphql,
  realtimeExchange,
  startMessage,
  type RawAuth,
  type RealtimeAnswer,
} from '../support/attack';
import { connectBackend, LOCAL_CREDENTIALS, LOCAL_REGION, type Backend } from '../support/backend';
import { createProduct, readStock, type TestProduct } from '../support/catalog';
import { createShopper, type Shopper, claimsOf } from '../support/shoppers';
import { signedHeaders } from '../support/signed-fetch';

let backend: Backend;
let alice: Shopper;
let bob: Shopper;
let product: TestProduct;
let aliceOrderId: string;
let aliceOwner: string;
let counts: { orders: number; products: number };

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  [alice, bob] = await Promise.all([
    createShopper(backend, 'hardening-alice'),
    createShopper(backend, 'hardening-bob'),
  ]);
  product = await createProduct(backend, { stock: 7 });
  // Alice's order, as the backend stores one, with a receipt in the bucket.
  aliceOrderId = randomUUID();
  aliceOwner = `${alice.sub}::${alice.username}`;
  const receiptKey = `receipts/${aliceOrderId}.pdf`;
  const bucket = (backend.outputs['storage'] as { bucket_name: string }).bucket_name;
  const s3 = localS3Client(backend.endpoints.s3, LOCAL_REGION, LOCAL_CREDENTIALS);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: receiptKey, Body: '%PDF alice' }));
  s3.destroy();
  const now = new Date().toISOString();
  const doc = DynamoDBDocumentClient.from(backend.dynamodb);
  await doc.send(
    new PutCommand({
      TableName: backend.orderTable,
      Item: {
        id: aliceOrderId,
        __typename: 'Order',
        owner: aliceOwner,
        email: alice.email,
        shippingAddress: {
          name: 'Alice',
          line1: '1 Way',
          city: 'X',
          postalCode: '1',
          country: 'US',
        },
        lines: [
          {
            productId: product.id,
            sku: product.sku,
            name: product.name,
            unitPriceCents: 1250,
            quantity: 1,
          },
        ],
        subtotalCents: 1250,
        taxCents: 0,
        shippingCents: 0,
        totalCents: 1250,
        currency: 'usd',
        status: 'COMPLETED',
        statusHistory: [{ status: 'COMPLETED', at: now, note: null }],
        paymentMethodId: 'pm_card_visa',
        receiptKey,
        idempotencyKey: `hardening-${aliceOrderId}`,
        createdAt: now,
        updatedAt: now,
      },
    }),
  );
  counts = {
    orders: await itemCount(backend, backend.orderTable),
    products: await itemCount(backend, backend.productTable),
  };
});

afterAll(() => backend?.close());

const authOf = (who: 'guest' | 'alice' | 'bob'): RawAuth =>
  who === 'guest'
    ? { apiKey: backend.apiKey }
    : { token: (who === 'alice' ? alice : bob).accessToken };

const MUTATIONS: [string, () => string][] = [
  [
    'createProduct',
    () =>
      `mutation { createProduct(input: { sku: "EVIL", name: "Evil", description: "x", priceCents: 1, currency: "usd", image: "x", stock: 999, active: true, category: "x" }) { id } }`,
  ],
  [
    'updateProduct (price to 1 cent)',
    () => `mutation { updateProduct(input: { id: "${product.id}", priceCents: 1 }) { id } }`,
  ],
  [
    'updateProduct (stock to 0)',
    () => `mutation { updateProduct(input: { id: "${product.id}", stock: 0 }) { id } }`,
  ],
  ['deleteProduct', () => `mutation { deleteProduct(input: { id: "${product.id}" }) { id } }`],
  [
    'createOrder',
    () =>
      `mutation { createOrder(input: { owner: "x", email: "a@b.co", shippingAddress: { name: "a", line1: "b", city: "c", postalCode: "d", country: "US" }, lines: [], subtotalCents: 0, taxCents: 0, shippingCents: 0, totalCents: 0, currency: "usd", status: COMPLETED, statusHistory: [], paymentMethodId: "pm_card_visa", idempotencyKey: "x" }) { id } }`,
  ],
  [
    'updateOrder (Alice’s, to COMPLETED)',
    () => `mutation { updateOrder(input: { id: "${aliceOrderId}", status: FAILED }) { id } }`,
  ],
  [
    'updateOrder (Alice’s email)',
    () =>
      `mutation { updateOrder(input: { id: "${aliceOrderId}", email: "thief@example.com" }) { id } }`,
  ],
  [
    'deleteOrder (Alice’s)',
    () => `mutation { deleteOrder(input: { id: "${aliceOrderId}" }) { id } }`,
  ],
];

describe('hardening: role escalation, every model mutation as guest and as shopper', () => {
  it.each(
    MUTATIONS.flatMap(([name, doc]) =>
      (['guest', 'bob', 'alice'] as const).map((who) => [name, who, doc] as const),
    ),
  )('%s as %s is Unauthorized and changes nothing', async (_name, who, doc) => {
    const answer = await rawGraphql(backend, { query: doc() }, authOf(who));
    expect(answer.status).toBe(200);
    expect(answer.body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(Object.values(answer.body.data ?? {}).every((v) => v === null)).toBe(true);
  });

  it.each(MUTATIONS)('%s with no credentials at all gets 401', async (_name, doc) => {
    const answer = await rawGraphql(backend, { query: doc() }, 'none');
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });
});

describe('hardening: one shopper’s order is out of everyone else’s reach', () => {
  it.each([
    ['getOrder', () => `query { getOrder(id: "${aliceOrderId}") { id email totalCents } }`],
    [
      'ordersByOwner naming Alice',
      () => `query { ordersByOwner(owner: "${aliceOwner}") { items { id email } } }`,
    ],
    [
      'ordersByOwner naming Alice’s username',
      () => `query { ordersByOwner(owner: "${alice.username}") { items { id email } } }`,
    ],
    [
      'receiptUrl of Alice’s order',
      () => `query { receiptUrl(orderId: "${aliceOrderId}") { url } }`,
    ],
  ])('Bob: %s gives away nothing of Alice’s order', async (_name, doc) => {
    const answer = await rawGraphql(backend, { query: doc() }, authOf('bob'));
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.data ?? {})).not.toContain(aliceOrderId);
    expect(answer.text).not.toContain(alice.email);
  });

  it.each([
    ['listOrders', 'query { listOrders(limit: 1000) { items { id email } } }'],
    [
      'ordersByStatus(COMPLETED)',
      'query { ordersByStatus(status: COMPLETED, limit: 1000) { items { id email } } }',
    ],
    [
      'listOrders filtered on Alice’s owner',
      `query { listOrders(filter: { owner: { eq: "OWNER" } }) { items { id email } } }`,
    ],
    [
      'listOrders filtered on Alice’s email',
      `query { listOrders(filter: { email: { eq: "EMAIL" } }) { items { id email } } }`,
    ],
  ])('Bob: %s never lists Alice’s order', async (_name, doc) => {
    const query = doc.replace('OWNER', aliceOwner).replace('EMAIL', alice.email);
    const answer = await rawGraphql(backend, { query }, authOf('bob'));
    expect(answer.text).not.toContain(aliceOrderId);
    expect(answer.text).not.toContain(alice.email);
  });

  it('Alice herself reads her order and gets her receipt link (the checks are not just refusing all)', async () => {
    const order = await rawGraphql(
      backend,
      { query: `query { getOrder(id: "${aliceOrderId}") { id email } }` },
      authOf('alice'),
    );
    expect(order.body.data?.['getOrder']).toMatchObject({ id: aliceOrderId, email: alice.email });
    const link = await rawGraphql(
      backend,
      { query: `query { receiptUrl(orderId: "${aliceOrderId}") { url } }` },
      authOf('alice'),
    );
    expect(link.body.data?.['receiptUrl']).toMatchObject({
      url: expect.stringContaining('X-Amz-Signature'),
    });
  });

  it.each([
    ['getOrder', () => `query { getOrder(id: "${aliceOrderId}") { id } }`],
    ['listOrders', () => 'query { listOrders { items { id } } }'],
    ['ordersByOwner', () => `query { ordersByOwner(owner: "${aliceOwner}") { items { id } } }`],
    ['ordersByStatus', () => 'query { ordersByStatus(status: COMPLETED) { items { id } } }'],
    ['receiptUrl', () => `query { receiptUrl(orderId: "${aliceOrderId}") { url } }`],
    [
      'placeOrder',
      () =>
        `mutation { placeOrder(idempotencyKey: "guest-order-1", shippingAddress: { name: "a", line1: "b", city: "c", postalCode: "1", country: "US" }, lines: [{ productId: "${product.id}", quantity: 1 }], paymentMethodId: "pm_card_visa") { id } }`,
    ],
  ])('a guest (API key): %s is Unauthorized', async (_name, doc) => {
    const answer = await rawGraphql(backend, { query: doc() }, authOf('guest'));
    expect(answer.body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(answer.text).not.toContain(aliceOrderId);
  });

  const subscriptionAnswer = async (
    auth: RawAuth,
    query: string,
  ): Promise<RealtimeAnswer | undefined> => {
    const received = await realtimeExchange(
      backend,
      auth,
      [startMessage(backend, 's', query, auth)],
      (r) => r.some((m) => (m as { id?: string }).id === 's' || m.type === 'connection_error'),
    );
    return received.find((m) => (m as { id?: string }).id === 's' || m.type === 'connection_error');
  };

  const subscriptionCases: [string, 'bob' | 'guest', () => string][] = [
    [
      'Bob, onUpdateOrder naming Alice',
      'bob',
      () => `subscription { onUpdateOrder(owner: "${alice.username}") { id email } }`,
    ],
    [
      'Bob, onCreateOrder naming Alice',
      'bob',
      () => `subscription { onCreateOrder(owner: "${alice.username}") { id } }`,
    ],
    [
      'Bob, onDeleteOrder naming Alice',
      'bob',
      () => `subscription { onDeleteOrder(owner: "${alice.username}") { id } }`,
    ],
    ['a guest, onUpdateOrder', 'guest', () => 'subscription { onUpdateOrder { id email } }'],
    ['a guest, onCreateOrder', 'guest', () => 'subscription { onCreateOrder { id } }'],
  ];
  it.each(subscriptionCases)('%s: the subscription is refused', async (_name, who, doc) => {
    const answer = await subscriptionAnswer(authOf(who), doc());
    expect(answer?.type).toBe('error');
    expect(answer?.payload?.errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('Alice may subscribe to her own updates (the refusals are about ownership)', async () => {
    const answer = await subscriptionAnswer(
      authOf('alice'),
      `subscription { onUpdateOrder(owner: "${alice.username}") { id } }`,
    );
    expect(answer?.type).toBe('start_ack');
  });
});

describe('hardening: forged, tampered and foreign credentials', () => {
  let forged: Record<string, () => Promise<RawAuth>>;
  beforeAll(() => {
    const header = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
        kid: string;
      };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const ownKeySigned = async (claims: Record<string, unknown>, kid: string) => {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      await exportJWK(publicKey);
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    };
    forged = {
      'alg=none with Alice’s claims': async () => ({
        token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsOf(alice.accessToken))}.`,
      }),
      'Bob’s token with ADMINS added to its payload': async () => {
        const [h, , s] = bob.accessToken.split('.');
        return {
          token: `${h}.${b64({ ...claimsOf(bob.accessToken), 'cognito:groups': ['ADMINS'] })}.${s}`,
        };
      },
      'Bob’s token with Alice’s sub in its payload': async () => {
        const [h, , s] = bob.accessToken.split('.');
        return { token: `${h}.${b64({ ...claimsOf(bob.accessToken), sub: alice.sub })}.${s}` };
      },
      'Bob’s token with its signature cut off': async () => ({
        token: bob.accessToken.split('.').slice(0, 2).join('.') + '.',
      }),
      'a token signed with another key under the pool’s kid': async () => ({
        token: await ownKeySigned(
          { ...claimsOf(bob.accessToken), 'cognito:groups': ['ADMINS'] },
          header(bob.accessToken).kid,
        ),
      }),
      'a token from another issuer': async () => ({
        token: await ownKeySigned(
          {
            ...claimsOf(bob.accessToken),
            iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_evil',
          },
          'evil',
        ),
      }),
      'an expired token (signed with another key)': async () => ({
        token: await ownKeySigned(
          { ...claimsOf(bob.accessToken), exp: 1 },
          header(bob.accessToken).kid,
        ),
      }),
      'a garbage token': async () => ({ token: 'not.a.jwt' }),
      'an empty Authorization header': async () => ({ headers: { authorization: '' } }),
      'a wrong API key': async () => ({ apiKey: 'da2-thisisnotthekey000000000' }),
      'an empty API key': async () => ({ apiKey: '' }),
      'IAM signed with a wrong secret': async () => ({
        headers: await iamHeaders('wrong-secret'),
      }),
      'IAM signed by an unknown key': async () => ({
        headers: await iamHeaders(LOCAL_CREDENTIALS.secretAccessKey, 'AKIAINTRUDER'),
      }),
    };
  });

  const QUERY = 'query { listOrders { items { id email } } }';
  const iamHeaders = async (
    secret: string,
    key: string = LOCAL_CREDENTIALS.accessKeyId,
  ): Promise<Record<string, string>> => {
    const { host: _h, ...headers } = await signedHeaders(backend.endpoints.graphql, {
      method: 'POST',
      service: 'appsync',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      credentials: { accessKeyId: key, secretAccessKey: secret },
    });
    return headers;
  };

  const NAMES = [
    'alg=none with Alice’s claims',
    'Bob’s token with ADMINS added to its payload',
    'Bob’s token with Alice’s sub in its payload',
    'Bob’s token with its signature cut off',
    'a token signed with another key under the pool’s kid',
    'a token from another issuer',
    'an expired token (signed with another key)',
    'a garbage token',
    'an empty Authorization header',
    'a wrong API key',
    'an empty API key',
    'IAM signed with a wrong secret',
    'IAM signed by an unknown key',
  ];

  it.each(NAMES)('over HTTP, %s gets 401', async (name) => {
    const auth = await forged[name]!();
    const answer = await rawGraphql(backend, { query: QUERY }, auth);
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
    expect(answer.text).not.toContain(aliceOrderId);
  });

  it.each(NAMES.filter((n) => !n.startsWith('IAM')))(
    'over the realtime socket, %s gets connection_error',
    async (name) => {
      const auth = await forged[name]!();
      const received = await realtimeExchange(backend, auth, [], (r) =>
        r.some((m) => m.type === 'connection_error' || m.type === 'connection_ack'),
      );
      expect(received.map((m) => m.type)).toContain('connection_error');
    },
  );
});

describe('hardening: after all of it', () => {
  it('Alice’s order, the product and the counts are as they were, and the backend answers', async () => {
    const order = await rawGraphql(
      backend,
      { query: `query { getOrder(id: "${aliceOrderId}") { status email } }` },
      authOf('alice'),
    );
    expect(order.body.data?.['getOrder']).toEqual({ status: 'COMPLETED', email: alice.email });
    expect((await readStock(backend, product.id)).stock).toBe(7);
    expect(await itemCount(backend, backend.orderTable)).toBe(counts.orders);
    expect(await itemCount(backend, backend.productTable)).toBe(counts.products);
    expect(await backendAnswers(backend)).toBe(true);
  });
});
