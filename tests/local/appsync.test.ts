/**
 * Conformance of the local AppSync engine, driven by the real aws-amplify v6 client (Node, `ws` as
 * WebSocket) against the transformed schema from cdk.out, on its own dynalite and a local JWKS.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Schema } from '../../amplify/data/resource';
import {
  readAppSyncAssets,
  start as startAppSync,
  type AppSyncHandle,
} from '../../local/engines/appsync';
import { routeLocalRealtimeOverPlainWebSocket } from '../../lib/local-realtime';
import { watchOrder } from '../../lib/shopper-api';

// Port 6000 itself is on fetch's list of blocked ports (X11), so this suite starts at 6010.
const PORT_BASE = Number(process.env['APPSYNC_TEST_PORT_BASE'] ?? 6010);
const API_KEY = 'da2-localtestkey';
const CLIENT_ID = 'local-test-client';
const ACCESS_KEY = 'LOCALACCESSKEY';
const SECRET_KEY = 'localsecretkey';
const REGION = 'us-east-1';

type Tokens = { accessToken: { payload: Record<string, unknown>; toString(): string } };

interface User {
  sub: string;
  username: string;
  groups: string[];
  token: string;
}

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

let dynamo: Server;
let jwksServer: Server;
let appsync: AppSyncHandle;
let signingKey: CryptoKey;
let issuer: string;
let currentTokens: Tokens | null = null;
const invocations: Record<string, unknown>[] = [];

type Live<T> = {
  subscribe(observer: { next?: (value: T) => void; error?: (error: unknown) => void }): {
    unsubscribe(): void;
  };
};
/** A raw subscription through the real client (its typings only know generated documents). */
const subscribeRaw = <T>(query: string, variables?: Record<string, unknown>): Live<{ data: T }> =>
  generateClient<Schema>({ authMode: 'userPool' }).graphql({
    query,
    variables,
  }) as unknown as Live<{ data: T }>;

const iamClient = () => generateClient<Schema>({ authMode: 'iam' });
const guestClient = () => generateClient<Schema>({ authMode: 'apiKey' });
const userClient = () => generateClient<Schema>({ authMode: 'userPool' });

async function signToken(
  claims: Record<string, unknown>,
  expiresIn = '1h',
  key: CryptoKey = signingKey,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'local-test' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}

async function makeUser(username: string, groups: string[] = []): Promise<User> {
  const sub = crypto.randomUUID();
  const token = await signToken({
    sub,
    username,
    token_use: 'access',
    client_id: CLIENT_ID,
    scope: 'aws.cognito.signin.user.admin',
    ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
  });
  return { sub, username, groups, token };
}

function actAs(user: User | null): void {
  currentTokens = user
    ? {
        accessToken: {
          payload: JSON.parse(
            Buffer.from(user.token.split('.')[1] ?? '', 'base64url').toString('utf8'),
          ) as Record<string, unknown>,
          toString: () => user.token,
        },
      }
    : null;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rawGraphql(
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': API_KEY },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(appsync.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function tableFor(
  name: string,
  indexes: { name: string; keys: string[] }[],
): CreateTableCommandInput {
  const attributes = new Set(['id', ...indexes.flatMap((i) => i.keys)]);
  return {
    TableName: `${name}-local-test`,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: i.keys.map((k, n) => ({ AttributeName: k, KeyType: n === 0 ? 'HASH' : 'RANGE' })),
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/** The test's stand-in for placeOrder: what a real handler does, creating the order through IAM. */
async function placeOrderFunction(event: Record<string, unknown>): Promise<unknown> {
  invocations.push(event);
  const args = event['arguments'] as {
    idempotencyKey: string;
    lines: { productId: string; quantity: number }[];
  };
  const identity = event['identity'] as { sub: string; username: string };
  if (args.lines.length === 0) {
    const error = new Error('An order needs at least one line (lines)');
    error.name = 'OrderValidationError';
    throw error;
  }
  const now = new Date().toISOString();
  const { data, errors } = await iamClient().models.Order.create({
    id: `order-${args.idempotencyKey}`,
    owner: `${identity.sub}::${identity.username}`,
    email: identity.username,
    shippingAddress: {
      name: 'A Shopper',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    lines: args.lines.map((l) => ({
      productId: l.productId,
      sku: 'SKU',
      name: 'Thing',
      unitPriceCents: 500,
      quantity: l.quantity,
    })),
    subtotalCents: 500,
    taxCents: 40,
    shippingCents: 0,
    totalCents: 540,
    currency: 'usd',
    status: 'PENDING',
    statusHistory: [{ status: 'PENDING', at: now }],
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: args.idempotencyKey,
  });
  if (errors?.length)
    throw Object.assign(new Error(errors[0]?.message ?? 'createOrder failed'), {
      name: 'TransientError',
    });
  return data;
}

let admin: User;
let alice: User;
let bob: User;

beforeAll(async () => {
  const cdkOut = [process.env['LOCAL_CDK_OUT'], 'cdk.out', '.amplify/appsync-dev/cdk.out'].find(
    (dir): dir is string => Boolean(dir) && existsSync(dir as string),
  );
  if (!cdkOut) throw new Error('No synthesized cdk.out found: run `npm run synth` first.');
  const assets = await readAppSyncAssets(cdkOut);

  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(PORT_BASE + 2, '127.0.0.1', resolve));
  const dynamodbConfig = {
    endpoint: `http://127.0.0.1:${PORT_BASE + 2}`,
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  };
  const ddb = new DynamoDBClient(dynamodbConfig);
  const models = assets.modelIntrospection['models'] as Record<
    string,
    {
      attributes: {
        type: string;
        properties: { name?: string; fields?: string[]; queryField?: string };
      }[];
    }
  >;
  for (const [name, model] of Object.entries(models)) {
    const indexes = model.attributes
      .filter((a) => a.type === 'key' && a.properties.queryField)
      .map((a) => ({ name: a.properties.name ?? '', keys: a.properties.fields ?? [] }));
    await ddb.send(new CreateTableCommand(tableFor(name, indexes)));
  }
  ddb.destroy();

  const { privateKey, publicKey } = await generateKeyPair('RS256');
  signingKey = privateKey;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'local-test', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(PORT_BASE + 1, '127.0.0.1', resolve));
  const jwksPort = (jwksServer.address() as AddressInfo).port;
  issuer = `http://127.0.0.1:${jwksPort}/us-east-1_localtest`;

  appsync = await startAppSync({
    port: PORT_BASE,
    schemaSdl: assets.schemaSdl,
    modelIntrospection: assets.modelIntrospection,
    tableNameFor: (model) => `${model}-local-test`,
    dynamodb: dynamodbConfig,
    apiKey: API_KEY,
    cognito: {
      issuer,
      jwksUrl: `http://127.0.0.1:${jwksPort}/.well-known/jwks.json`,
      // As an API with `AppIdClientRegex` would declare it: tokens of other clients are refused.
      appIdClientRegex: 'local-test-.*',
    },
    iam: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    customOperations: assets.customOperations,
    invokeFunction: async (name, event) => {
      if (name !== 'placeOrder')
        throw Object.assign(new Error(`${name} is not wired in this test`), {
          name: 'Lambda:Unhandled',
        });
      return placeOrderFunction(event);
    },
  });

  globalThis.WebSocket = NodeWebSocket as unknown as typeof WebSocket;
  routeLocalRealtimeOverPlainWebSocket(appsync.realtimeUrl);

  Amplify.configure(
    {
      version: '1.4',
      auth: {
        aws_region: REGION,
        user_pool_id: 'us-east-1_localtest',
        user_pool_client_id: CLIENT_ID,
      },
      data: {
        url: appsync.url,
        aws_region: REGION,
        api_key: API_KEY,
        default_authorization_type: 'API_KEY',
        authorization_types: ['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM'],
        model_introspection: assets.modelIntrospection as never,
      },
    },
    {
      Auth: {
        tokenProvider: { getTokens: async () => currentTokens as never },
        credentialsProvider: {
          getCredentialsAndIdentityId: async () => ({
            credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
          }),
          clearCredentialsAndIdentityId: () => undefined,
        },
      },
    },
  );

  admin = await makeUser('admin@example.com', ['ADMINS']);
  alice = await makeUser('alice@example.com');
  bob = await makeUser('bob@example.com');

  actAs(admin);
  const catalog = [
    ['MUG-1', 'Blue Mug', 'kitchen', 1200, 10, true],
    ['MUG-2', 'Green Mug', 'kitchen', 1500, 0, true],
    ['PAN-1', 'Cast Iron Pan', 'kitchen', 4500, 3, true],
    ['TEE-1', 'Black Tee', 'apparel', 2500, 20, true],
    ['TEE-2', 'White Tee', 'apparel', 2400, 5, false],
    ['CAP-1', 'Wool Cap', 'apparel', 1800, 7, true],
    ['LAMP-1', 'Desk Lamp', 'home', 6000, 2, true],
  ] as const;
  for (const [sku, name, category, priceCents, stock, active] of catalog) {
    const { errors } = await userClient().models.Product.create({
      sku,
      name,
      category,
      priceCents,
      stock,
      active,
      description: `${name} for testing`,
      currency: 'usd',
      image: `/products/${sku.toLowerCase()}.jpg`,
    });
    expect(errors).toBeUndefined();
  }
  actAs(null);
});

afterAll(async () => {
  await appsync?.stop();
  await new Promise((r) => jwksServer?.close(r));
  await new Promise((r) => dynamo?.close(r));
});

describe('catalog reads (guest, API key)', () => {
  it('lists every product across pages with limit and nextToken', async () => {
    const seen: string[] = [];
    let nextToken: string | null | undefined;
    let pages = 0;
    do {
      const page = await guestClient().models.Product.list({ limit: 3, nextToken });
      expect(page.errors).toBeUndefined();
      seen.push(...page.data.map((p) => p.sku));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBeGreaterThan(2);
    expect(seen.sort()).toEqual(['CAP-1', 'LAMP-1', 'MUG-1', 'MUG-2', 'PAN-1', 'TEE-1', 'TEE-2']);
  });

  it('filters with comparison, string, existence and boolean operators', async () => {
    const skus = async (filter: Record<string, unknown>) => {
      const { data, errors } = await guestClient().models.Product.list({
        filter: filter as never,
        limit: 100,
      });
      expect(errors).toBeUndefined();
      return data.map((p) => p.sku).sort();
    };
    expect(await skus({ category: { eq: 'kitchen' } })).toEqual(['MUG-1', 'MUG-2', 'PAN-1']);
    expect(await skus({ category: { ne: 'kitchen' }, active: { eq: true } })).toEqual([
      'CAP-1',
      'LAMP-1',
      'TEE-1',
    ]);
    expect(await skus({ priceCents: { between: [1500, 2500] } })).toEqual([
      'CAP-1',
      'MUG-2',
      'TEE-1',
      'TEE-2',
    ]);
    expect(await skus({ priceCents: { gt: 4500 } })).toEqual(['LAMP-1']);
    expect(await skus({ priceCents: { ge: 4500 } })).toEqual(['LAMP-1', 'PAN-1']);
    expect(await skus({ stock: { lt: 3 } })).toEqual(['LAMP-1', 'MUG-2']);
    expect(await skus({ stock: { le: 3 } })).toEqual(['LAMP-1', 'MUG-2', 'PAN-1']);
    expect(await skus({ name: { contains: 'Mug' } })).toEqual(['MUG-1', 'MUG-2']);
    expect(await skus({ name: { notContains: 'e' } })).toEqual(['CAP-1', 'PAN-1']);
    expect(await skus({ sku: { beginsWith: 'TEE' } })).toEqual(['TEE-1', 'TEE-2']);
    expect(await skus({ image: { attributeExists: false } })).toEqual([]);
    expect(
      await skus({
        or: [
          { sku: { eq: 'CAP-1' } },
          { and: [{ category: { eq: 'home' } }, { stock: { gt: 1 } }] },
        ],
      }),
    ).toEqual(['CAP-1', 'LAMP-1']);
    expect(await skus({ not: { category: { eq: 'apparel' } }, stock: { gt: 0 } })).toEqual([
      'LAMP-1',
      'MUG-1',
      'PAN-1',
    ]);
  });

  it('queries the secondary indexes with key conditions and sort direction', async () => {
    const bySku = await guestClient().models.Product.productBySku({ sku: 'PAN-1' });
    expect(bySku.data.map((p) => p.name)).toEqual(['Cast Iron Pan']);

    const desc = await guestClient().models.Product.productsByCategory(
      { category: 'apparel' },
      { sortDirection: 'DESC' },
    );
    expect(desc.data.map((p) => p.name)).toEqual(['Wool Cap', 'White Tee', 'Black Tee']);

    const mugs = await guestClient().models.Product.productsByCategory({
      category: 'kitchen',
      name: { beginsWith: 'B' },
    });
    expect(mugs.data.map((p) => p.sku)).toEqual(['MUG-1']);
  });

  it('gets a product by id with its automatic fields', async () => {
    const [first] = (await guestClient().models.Product.productBySku({ sku: 'MUG-1' })).data;
    const { data, errors } = await guestClient().models.Product.get({ id: first?.id ?? '' });
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({ sku: 'MUG-1', name: 'Blue Mug', priceCents: 1200 });
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(data?.createdAt ?? '')).not.toBeNaN();
    expect(data?.updatedAt).toBe(data?.createdAt);
    expect((await guestClient().models.Product.get({ id: 'no-such-product' })).data).toBeNull();
  });
});

describe('conditional writes (admin, user pool)', () => {
  it('creates only when the id is new and updates only when the condition holds', async () => {
    actAs(admin);
    const client = userClient();
    const created = await client.models.Product.create({
      id: 'cond-product',
      sku: 'COND-1',
      name: 'Conditional Thing',
      category: 'test',
      priceCents: 999,
      stock: 4,
      active: true,
      description: 'x',
      currency: 'usd',
      image: '/x.jpg',
    });
    expect(created.errors).toBeUndefined();

    const again = await client.models.Product.create({
      id: 'cond-product',
      sku: 'COND-2',
      name: 'Overwritten',
      category: 'test',
      priceCents: 1,
      stock: 1,
      active: true,
      description: 'y',
      currency: 'usd',
      image: '/y.jpg',
    });
    expect(again.errors?.[0]).toMatchObject({
      errorType: 'DynamoDB:ConditionalCheckFailedException',
    });

    // The models API has no `condition`; conditional updates go through client.graphql.
    const conditionalUpdate = (stock: number, atLeast: number) =>
      client.graphql({
        query: `mutation U($input: UpdateProductInput!, $condition: ModelProductConditionInput) {
          updateProduct(input: $input, condition: $condition) { id stock updatedAt }
        }`,
        variables: { input: { id: 'cond-product', stock }, condition: { stock: { ge: atLeast } } },
      }) as Promise<{ data: { updateProduct: { stock: number; updatedAt: string } | null } }>;
    const refused = await conditionalUpdate(0, 5).catch((e: { errors?: unknown[] }) => e);
    expect((refused as { errors?: unknown[] }).errors?.[0]).toMatchObject({
      errorType: 'DynamoDB:ConditionalCheckFailedException',
    });

    const accepted = await conditionalUpdate(3, 4);
    expect(accepted.data.updateProduct?.stock).toBe(3);
    expect((accepted.data.updateProduct?.updatedAt ?? '') >= (created.data?.updatedAt ?? '')).toBe(
      true,
    );

    const missing = await client.models.Product.update({ id: 'never-created', stock: 1 });
    expect(missing.errors?.[0]).toMatchObject({
      errorType: 'DynamoDB:ConditionalCheckFailedException',
    });

    const stored = await guestClient().models.Product.get({ id: 'cond-product' });
    expect(stored.data).toMatchObject({ name: 'Conditional Thing', stock: 3 });
    actAs(null);
  });
});

describe('orders: custom mutation, subscriptions, owner isolation', () => {
  it('runs placeOrder through its function with the AppSync event, and maps its errors', async () => {
    actAs(alice);
    const { data, errors } = await userClient().mutations.placeOrder({
      idempotencyKey: 'alice-1',
      shippingAddress: {
        name: 'Alice',
        line1: '1 Main St',
        city: 'Springfield',
        postalCode: '12345',
        country: 'US',
      },
      lines: [{ productId: 'p1', quantity: 1 }],
      paymentMethodId: 'pm_card_visa',
    });
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({
      id: 'order-alice-1',
      status: 'PENDING',
      owner: 'alice@example.com',
      totalCents: 540,
    });
    const event = invocations.at(-1) as {
      fieldName: string;
      typeName: string;
      identity: unknown;
      info: { selectionSetList: string[] };
      arguments: unknown;
    };
    expect(event.fieldName).toBe('placeOrder');
    expect(event.typeName).toBe('Mutation');
    expect(event.identity).toMatchObject({ sub: alice.sub, username: 'alice@example.com' });
    expect(event.info).toMatchObject({ fieldName: 'placeOrder', parentTypeName: 'Mutation' });
    expect(event.info.selectionSetList).toContain('shippingAddress/line1');
    expect(event.arguments).toMatchObject({ idempotencyKey: 'alice-1' });

    const failed = await userClient().mutations.placeOrder({
      idempotencyKey: 'alice-bad',
      shippingAddress: {
        name: 'Alice',
        line1: '1 Main St',
        city: 'Springfield',
        postalCode: '12345',
        country: 'US',
      },
      lines: [],
      paymentMethodId: 'pm_card_visa',
    });
    expect(failed.data).toBeNull();
    expect(failed.errors?.[0]).toMatchObject({
      errorType: 'OrderValidationError',
      message: 'An order needs at least one line (lines)',
    });
    actAs(null);
  });

  it("delivers an order's update to its owner's subscription, never to another shopper's", async () => {
    actAs(alice);
    const aliceGot: Record<string, unknown>[] = [];
    const aliceSub = userClient()
      .models.Order.onUpdate()
      .subscribe({ next: (o) => aliceGot.push(o as never), error: () => undefined });
    await waitFor(() => appsync.engine.subscriptionCount() === 1, "alice's subscription");
    actAs(bob);
    const bobGot: unknown[] = [];
    const bobErrors: unknown[] = [];
    const bobSub = userClient()
      .models.Order.onUpdate()
      .subscribe({ next: (o) => bobGot.push(o), error: (e: unknown) => bobErrors.push(e) });
    await waitFor(() => appsync.engine.subscriptionCount() === 2, "bob's subscription");

    const updated = await iamClient().models.Order.update({
      id: 'order-alice-1',
      status: 'VALIDATED',
    });
    expect(updated.errors).toBeUndefined();
    await waitFor(() => aliceGot.length === 1, 'the update at alice', 1_000);
    expect(aliceGot[0]).toMatchObject({
      id: 'order-alice-1',
      status: 'VALIDATED',
      totalCents: 540,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(bobGot).toEqual([]);
    aliceSub.unsubscribe();
    bobSub.unsubscribe();
    await waitFor(() => appsync.engine.subscriptionCount() === 0, 'unsubscribe');
  });

  it('tells the order page when its subscription is live, so it can read what it missed', async () => {
    actAs(alice);
    // A status set before the subscription is acknowledged is never sent to it: that is the
    // moment the page must read the order again.
    const seen: string[] = [];
    let live = 0;
    const stop = watchOrder(
      'order-alice-1',
      (order) => seen.push(order.status),
      () => undefined,
      () => (live += 1),
    );
    await waitFor(() => live === 1, 'the acknowledgement');
    expect(appsync.engine.subscriptionCount()).toBe(1);
    const updated = await iamClient().models.Order.update({
      id: 'order-alice-1',
      status: 'PAYMENT_AUTHORIZED',
    });
    expect(updated.errors).toBeUndefined();
    await waitFor(() => seen.length === 1, 'the update at the page');
    expect(seen).toEqual(['PAYMENT_AUTHORIZED']);
    stop();
    await waitFor(() => appsync.engine.subscriptionCount() === 0, 'unsubscribe');
    expect(live).toBe(1);
  });

  it('gives a subscriber only the fields the mutation selected', async () => {
    actAs(alice);
    const got: Record<string, unknown>[] = [];
    const sub = subscribeRaw<{ onUpdateOrder: Record<string, unknown> }>(
      'subscription { onUpdateOrder { id status totalCents trackingNumber } }',
    ).subscribe({ next: ({ data }) => got.push(data.onUpdateOrder) });
    await waitFor(() => appsync.engine.subscriptionCount() === 1, 'subscription');
    const result = (await iamClient().graphql({
      query:
        'mutation { updateOrder(input: { id: "order-alice-1", status: PAYMENT_AUTHORIZED, trackingNumber: "T1" }) { id status } }',
    })) as { data: { updateOrder: { status: string } } };
    expect(result.data.updateOrder.status).toBe('PAYMENT_AUTHORIZED');
    await waitFor(() => got.length === 1, 'the partial update', 1_000);
    expect(got[0]).toEqual({
      id: 'order-alice-1',
      status: 'PAYMENT_AUTHORIZED',
      totalCents: null,
      trackingNumber: null,
    });
    sub.unsubscribe();
    await waitFor(() => appsync.engine.subscriptionCount() === 0, 'unsubscribe');
  });

  it("keeps one shopper's orders from another, from guests, and the catalog from non-admins", async () => {
    actAs(bob);
    const bobGet = await userClient().models.Order.get({ id: 'order-alice-1' });
    expect(bobGet.data).toBeNull();
    expect(bobGet.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access getOrder on type Query',
    });
    const bobList = await userClient().models.Order.list();
    expect(bobList.errors).toBeUndefined();
    expect(bobList.data).toEqual([]);
    const byOwner = await userClient().models.Order.ordersByOwner({
      owner: `${alice.sub}::${alice.username}`,
    });
    expect(byOwner.errors?.[0]).toMatchObject({ errorType: 'Unauthorized' });
    const bobUpdate = await userClient().models.Product.update({
      id: 'cond-product',
      priceCents: 1,
    });
    expect(bobUpdate.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access updateProduct on type Mutation',
    });
    expect((await guestClient().models.Product.get({ id: 'cond-product' })).data?.priceCents).toBe(
      999,
    );

    actAs(alice);
    const aliceList = await userClient().models.Order.list();
    expect(aliceList.data.map((o) => o.id)).toEqual(['order-alice-1']);
    const aliceByOwner = await userClient().models.Order.ordersByOwner(
      { owner: `${alice.sub}::${alice.username}` },
      { sortDirection: 'DESC' },
    );
    expect(aliceByOwner.data.map((o) => o.id)).toEqual(['order-alice-1']);
    actAs(admin);
    expect((await userClient().models.Order.get({ id: 'order-alice-1' })).data?.owner).toBe(
      'alice@example.com',
    );
    actAs(null);

    const guestList = await guestClient().models.Order.list();
    expect(guestList.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access listOrders on type Query',
    });
  });

  it('refuses a subscription that names another shopper as owner', async () => {
    actAs(bob);
    const error = await new Promise<unknown>((resolve) => {
      subscribeRaw(
        'subscription S($owner: String) { onUpdateOrder(owner: $owner) { id status } }',
        {
          owner: `${alice.sub}::${alice.username}`,
        },
      ).subscribe({ next: () => resolve('delivered'), error: resolve });
    });
    expect(JSON.stringify(error)).toContain('Unauthorized');
    actAs(null);
  });
});

describe('errors and bad input', () => {
  it("answers a denied request in AppSync's error shape", async () => {
    const { status, json } = await rawGraphql({ query: 'query { listOrders { items { id } } }' });
    expect(status).toBe(200);
    expect(json).toEqual({
      data: { listOrders: null },
      errors: [
        {
          path: ['listOrders'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 9, sourceName: null }],
          message: 'Not Authorized to access listOrders on type Query',
        },
      ],
    });
  });

  it('refuses wrong API keys, expired and forged tokens, other clients and bad signatures with 401', async () => {
    const query = { query: '{ listProducts { items { id } } }' };
    const wrongKey = await rawGraphql(query, { 'x-api-key': 'da2-wrong' });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.json).toEqual({
      errors: [
        {
          errorType: 'UnauthorizedException',
          message: 'You are not authorized to make this call.',
        },
      ],
    });

    const expired = await signToken(
      { sub: 's', username: 'u', token_use: 'access', client_id: CLIENT_ID },
      '-1m',
    );
    const expiredAnswer = await rawGraphql(query, { authorization: expired });
    expect(expiredAnswer.status).toBe(401);
    expect(expiredAnswer.json).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }],
    });

    const otherClient = await signToken({
      sub: 's',
      username: 'u',
      token_use: 'access',
      client_id: 'another-app-client',
    });
    const otherClientAnswer = await rawGraphql(query, { authorization: otherClient });
    expect(otherClientAnswer.status).toBe(401);
    expect(otherClientAnswer.json['errors']).toMatchObject([
      { errorType: 'UnauthorizedException' },
    ]);

    const otherKey = (await generateKeyPair('RS256')).privateKey;
    const forged = await signToken(
      { sub: 's', username: 'u', token_use: 'access', client_id: CLIENT_ID },
      '1h',
      otherKey,
    );
    const forgedAnswer = await rawGraphql(query, { authorization: forged });
    expect(forgedAnswer.status).toBe(401);
    expect(forgedAnswer.json['errors']).toMatchObject([{ errorType: 'UnauthorizedException' }]);

    const badSignature = await rawGraphql(query, {
      authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20240101/us-east-1/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      'x-amz-date': new Date().toISOString().replace(/[:-]|\.\d{3}/g, ''),
    });
    expect(badSignature.status).toBe(401);
  });

  it('rejects malformed GraphQL, unknown fields, wrong types and huge bodies, writing nothing', async () => {
    const count = async () =>
      (await guestClient().models.Product.list({ limit: 1000 })).data.length;
    const before = await count();

    const syntax = await rawGraphql({ query: 'query { listProducts { items { id } ' });
    expect(syntax.json['data']).toBeNull();
    expect((syntax.json['errors'] as { message: string }[])[0]?.message).toMatch(/^Invalid Syntax/);

    const unknown = await rawGraphql({ query: '{ listProducts { items { id price } } }' });
    expect((unknown.json['errors'] as { message: string }[])[0]?.message).toMatch(
      /^Validation error of type FieldUndefined: Cannot query field "price"/,
    );

    actAs(admin);
    const wrongType = await rawGraphql(
      {
        query: 'mutation M($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        variables: {
          input: {
            sku: 'BAD',
            name: 'Bad',
            description: 'x',
            priceCents: 'cheap',
            currency: 'usd',
            image: '/x',
            stock: 1,
            active: true,
            category: 'bad',
          },
        },
      },
      { authorization: admin.token },
    );
    expect(wrongType.json['data']).toBeNull();
    expect(JSON.stringify(wrongType.json['errors'])).toContain('priceCents');
    actAs(null);

    const notJson = await rawGraphql('{"query": ');
    expect(notJson.status).toBe(400);
    expect(notJson.json).toEqual({
      errors: [
        { errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' },
      ],
    });

    const huge = await rawGraphql({
      query: `{ listProducts { items { id } } }`,
      variables: { pad: 'x'.repeat(1_100_000) },
    });
    expect(huge.status).toBe(413);

    expect(await count()).toBe(before);
    const health = await fetch(appsync.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
  });
});
