/**
 * The catalog seed (amplify/functions/seed-catalog), run through the real AWS SDK against the
 * local DynamoDB and changed by an admin through the real GraphQL API: what a second deployment
 * does, and that an admin's edit survives it. Also the custom resource's answer to CloudFormation.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEED_PRODUCTS, catalogVersion } from '../../amplify/functions/seed-catalog/catalog';
import {
  respondToCloudFormation,
  seedCatalogWith,
  type CustomResourceResponse,
} from '../../amplify/functions/seed-catalog/handler';
import { seedProducts, type SeedProduct } from '../../amplify/functions/seed-catalog/seed';
import { asShopper, configureAmplify, shopperClient } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { signIn, type Shopper } from '../support/shoppers';

let backend: Backend;
let ddb: DynamoDBDocumentClient;
let admin: Shopper;

beforeAll(async () => {
  const local = inject('localBackend');
  backend = await connectBackend(local.outputs);
  ddb = DynamoDBDocumentClient.from(backend.dynamodb);
  configureAmplify(backend);
  admin = await signIn(backend, local.admin.email, local.admin.password);
});
afterAll(() => backend?.close());

/** Three products of this test's own (fresh ids), as a catalog would list them. */
const aCatalog = (): SeedProduct[] => {
  const run = randomUUID().slice(0, 8);
  return ['a', 'b', 'c'].map((letter, index) => ({
    id: `seed-test-${run}-${letter}`,
    sku: `SEED-${run}-${letter}`.toUpperCase(),
    name: `Seed test ${letter}`,
    description: `First description of ${letter}`,
    priceCents: 1000 + index,
    category: 'Seed tests',
    stock: 20,
    image: `/products/seed-test-${letter}.png`,
  }));
};

const read = async (id: string): Promise<Record<string, unknown>> => {
  const { Item } = await ddb.send(
    new GetCommand({ TableName: backend.productTable, Key: { id }, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`product ${id} is not in the table`);
  return Item;
};

describe('Catalog seed: a second deployment and an admin edit', () => {
  it('writes missing products whole, and a second deployment of the same catalog changes nothing', async () => {
    // Prepare
    const catalog = aCatalog();
    // Act
    const first = await seedProducts(ddb, backend.productTable, catalog, 'v1');
    const before = await read(catalog[0]!.id);
    const second = await seedProducts(ddb, backend.productTable, catalog, 'v1');
    // Assess
    expect(first).toEqual({ created: catalog.map((p) => p.id), refreshed: [], kept: [] });
    expect(second).toEqual({ created: [], refreshed: [], kept: catalog.map((p) => p.id) });
    expect(before).toMatchObject({
      __typename: 'Product',
      name: 'Seed test a',
      stock: 20,
      active: true,
      image: '/products/seed-test-a.png',
      seedVersion: 'v1',
    });
    expect(before['seededAt']).toBe(before['updatedAt']);
    expect(await read(catalog[0]!.id)).toEqual(before);
  });

  it("after an admin's edit, a new catalog refreshes only untouched products, and never their stock", async () => {
    // Prepare: seeded, then an admin edits a through the API, and an order takes stock from b
    // as the saga does (a conditional UpdateItem that leaves updatedAt alone).
    const catalog = aCatalog();
    const [a, b, c] = catalog as [SeedProduct, SeedProduct, SeedProduct];
    await seedProducts(ddb, backend.productTable, catalog, 'v1');
    const edited = await asShopper(admin, () =>
      shopperClient().models.Product.update({ id: a.id, description: 'Written by the shop' }),
    );
    expect(edited.errors).toBeUndefined();
    await ddb.send(
      new UpdateCommand({
        TableName: backend.productTable,
        Key: { id: b.id },
        UpdateExpression: 'SET stock = stock - :q',
        ConditionExpression: 'stock >= :q',
        ExpressionAttributeValues: { ':q': 3 },
      }),
    );
    const next = catalog.map((p) => ({
      ...p,
      description: `Second description of ${p.name}`,
      priceCents: p.priceCents + 500,
      stock: 99,
    }));
    // Act
    const result = await seedProducts(ddb, backend.productTable, next, 'v2');
    // Assess
    expect(result).toEqual({ created: [], refreshed: [b.id, c.id], kept: [a.id] });
    expect(await read(a.id)).toMatchObject({
      description: 'Written by the shop',
      priceCents: a.priceCents,
      seedVersion: 'v1',
    });
    expect(await read(b.id)).toMatchObject({
      description: 'Second description of Seed test b',
      priceCents: b.priceCents + 500,
      stock: 17,
      seedVersion: 'v2',
    });
    expect(await read(c.id)).toMatchObject({ priceCents: c.priceCents + 500, stock: 20 });
    // And the edited product stays the shop's through any later catalog.
    const third = await seedProducts(ddb, backend.productTable, next, 'v3');
    expect(third.kept).toEqual([a.id]);
  });

  it('a product the shop deleted stays deleted through a later catalog, and one new to the catalog is written', async () => {
    // Prepare: v1 seeded a, b and c; an admin deletes b through the API; v2 changes their text
    // and adds d.
    const catalog = aCatalog();
    const [a, b, c] = catalog as [SeedProduct, SeedProduct, SeedProduct];
    await seedProducts(ddb, backend.productTable, catalog, 'v1');
    const deleted = await asShopper(admin, () =>
      shopperClient().models.Product.delete({ id: b.id }),
    );
    expect(deleted.errors).toBeUndefined();
    const d: SeedProduct = { ...a, id: `${a.id}-d`, sku: `${a.sku}-D`, name: 'Seed test d' };
    const next = [...catalog, d].map((p) => ({ ...p, description: `Second of ${p.name}` }));
    // Act
    const result = await seedProducts(ddb, backend.productTable, next, 'v2', {
      seededBefore: new Set(catalog.map((p) => p.id)),
    });
    // Assess
    expect(result).toEqual({ created: [d.id], refreshed: [a.id, c.id], kept: [b.id] });
    await expect(read(b.id)).rejects.toThrow(/not in the table/);
    expect(await read(d.id)).toMatchObject({ description: 'Second of Seed test d', stock: 20 });
    expect(await read(c.id)).toMatchObject({ description: 'Second of Seed test c' });
  });

  it('seeded the local backend at its first start with the same code: the 25 products, photos at the storefront', async () => {
    expect(SEED_PRODUCTS).toHaveLength(25);
    for (const product of SEED_PRODUCTS) {
      const item = await read(product.id);
      expect(item['image']).toBe(`/products/${product.id}.png`);
      // Another test may have changed one since; the seed's own stamp is there all the same.
      expect(typeof item['seededAt']).toBe('string');
    }
    expect((await read(SEED_PRODUCTS[0]!.id))['seedVersion']).toBe(catalogVersion());
  });
});

describe('Catalog seed: the CloudFormation custom resource', () => {
  let server: Server;
  let url = '';
  const answers: { contentType: string | undefined; body: CustomResourceResponse }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        answers.push({
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as CustomResourceResponse,
        });
        res.writeHead(req.method === 'PUT' ? 200 : 405).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?X-Amz-Signature=x`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = (RequestType: 'Create' | 'Update' | 'Delete') => ({
    RequestType,
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/catalog-seed/1',
    RequestId: randomUUID(),
    LogicalResourceId: 'SeedCatalog',
    ResourceType: 'Custom::CatalogSeed',
    ResourceProperties: { catalogVersion: 'v1' },
  });

  it('seeds on Create and answers SUCCESS with what it did on the ResponseURL', async () => {
    const catalog = aCatalog();
    const handler = seedCatalogWith({
      seed: () => seedProducts(ddb, backend.productTable, catalog, 'v1'),
      respond: respondToCloudFormation,
    });
    const create = request('Create');
    await handler(create);
    await handler(request('Update'));
    expect(answers.at(-2)).toEqual({
      contentType: '',
      body: {
        Status: 'SUCCESS',
        PhysicalResourceId: 'storefront-catalog-seed',
        StackId: create.StackId,
        RequestId: create.RequestId,
        LogicalResourceId: 'SeedCatalog',
        Data: { created: '3', refreshed: '0', kept: '0' },
      },
    });
    expect(answers.at(-1)?.body).toMatchObject({
      Status: 'SUCCESS',
      Data: { created: '0', refreshed: '0', kept: '3' },
    });
  });

  it('on Update, leaves deleted the products the previous deployment seeded (OldResourceProperties)', async () => {
    const catalog = aCatalog();
    const ids = catalog.map((p) => p.id);
    const handler = seedCatalogWith({
      seed: (seededBefore) =>
        seedProducts(ddb, backend.productTable, catalog, 'v1', { seededBefore }),
      respond: respondToCloudFormation,
    });
    await handler(request('Create'));
    const { errors } = await asShopper(admin, () =>
      shopperClient().models.Product.delete({ id: ids[1]! }),
    );
    expect(errors).toBeUndefined();

    await handler({ ...request('Update'), OldResourceProperties: { productIds: ids } });
    expect(answers.at(-1)?.body).toMatchObject({
      Status: 'SUCCESS',
      Data: { created: '0', refreshed: '0', kept: '3' },
    });
    await expect(read(ids[1]!)).rejects.toThrow(/not in the table/);
    // A stack deployed before productIds existed sends none: the missing product is written.
    await handler(request('Update'));
    expect(answers.at(-1)?.body).toMatchObject({ Status: 'SUCCESS', Data: { created: '1' } });
    expect(await read(ids[1]!)).toMatchObject({ name: 'Seed test b' });
  });

  it.each([
    ['a string', 'prod-a,prod-b'],
    ['a list holding a number', ['prod-a', 7]],
    ['an empty id', ['']],
  ])(
    'answers FAILED without seeding when the previous productIds are %s',
    async (_what, productIds) => {
      let seeded = false;
      const handler = seedCatalogWith({
        seed: () => {
          seeded = true;
          return Promise.reject(new Error('must not seed'));
        },
        respond: respondToCloudFormation,
      });
      await handler({ ...request('Update'), OldResourceProperties: { productIds } });
      expect(seeded).toBe(false);
      expect(answers.at(-1)?.body).toMatchObject({
        Status: 'FAILED',
        Reason:
          'Seeding the catalog failed: OldResourceProperties.productIds is not a list of product ids',
      });
    },
  );

  it('answers FAILED with the reason when the table cannot be written, and Delete removes nothing', async () => {
    const catalog = aCatalog();
    const failing = seedCatalogWith({
      seed: () => seedProducts(ddb, 'Product-no-such-table', catalog, 'v1'),
      respond: respondToCloudFormation,
    });
    await failing(request('Create'));
    expect(answers.at(-1)?.body).toMatchObject({ Status: 'FAILED' });
    expect(answers.at(-1)?.body.Reason).toMatch(/^Seeding the catalog failed: .*not found/i);

    await seedProducts(ddb, backend.productTable, catalog, 'v1');
    await failing(request('Delete'));
    expect(answers.at(-1)?.body).toMatchObject({ Status: 'SUCCESS' });
    expect(await read(catalog[0]!.id)).toMatchObject({ name: 'Seed test a' });
  });

  it('refuses a request that is not from CloudFormation, answering nothing', async () => {
    const before = answers.length;
    const handler = seedCatalogWith({
      seed: () => Promise.reject(new Error('must not seed')),
      respond: respondToCloudFormation,
    });
    await expect(handler({ RequestType: 'Create', ResponseURL: 'not a url' })).rejects.toThrow();
    expect(answers).toHaveLength(before);
  });
});
