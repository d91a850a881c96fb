/**
 * Local DynamoDB conformance through the real AWS SDK v3 against `npm run local`: the tables the
 * templates declare, conditional writes as the saga uses them, and AWS-shaped errors for bad input.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localEndpoint } from '../support/backend';

const backend = inject('localBackend');
const client = new DynamoDBClient({
  ...localEndpoint(backend.urls['dynamodb']),
  maxAttempts: 1,
});
let productTable = '';

beforeAll(async () => {
  const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  productTable = tables.find((t) => t.startsWith('Product-')) ?? '';
});

const reserve = (id: string, order: string, quantity: number) =>
  client.send(
    new UpdateItemCommand({
      TableName: productTable,
      Key: { id: { S: id } },
      UpdateExpression: 'SET stock = stock - :q, reservations.#order = :q',
      ConditionExpression: 'stock >= :q AND attribute_not_exists(reservations.#order)',
      ExpressionAttributeNames: { '#order': order },
      ExpressionAttributeValues: { ':q': { N: String(quantity) } },
    }),
  );

describe('Local DynamoDB', () => {
  it('has the Product and Order tables with the GSIs the schema declares', async () => {
    const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    const order = tables.find((t) => t.startsWith('Order-'));
    expect(productTable).toMatch(/^Product-[a-z0-9]+-NONE$/);
    expect(order).toBeDefined();
    const described = await client.send(new DescribeTableCommand({ TableName: order }));
    const indexes = described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort();
    expect(indexes).toEqual(['ordersByOwnerAndCreatedAt', 'ordersByStatusAndCreatedAt']);
  });

  it('serves the seeded catalog in Amplify item shape, queryable by category', async () => {
    const result = await client.send(
      new QueryCommand({
        TableName: productTable,
        IndexName: 'productsByCategoryAndName',
        KeyConditionExpression: 'category = :c',
        ExpressionAttributeValues: { ':c': { S: 'Kitchen' } },
      }),
    );
    expect(result.Items?.length).toBeGreaterThanOrEqual(5);
    const first = result.Items?.[0];
    expect(first?.['__typename']?.S).toBe('Product');
    expect(first?.['createdAt']?.S).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first?.['image']?.S).toMatch(/^\/products\//);
  });

  it('takes stock with a conditional update exactly once per order and refuses overselling', async () => {
    const id = `test-product-${Date.now()}`;
    await client.send(
      new PutItemCommand({
        TableName: productTable,
        Item: { id: { S: id }, stock: { N: '3' }, reservations: { M: {} } },
      }),
    );
    await reserve(id, 'order-a', 2);
    await expect(reserve(id, 'order-a', 2)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    await expect(reserve(id, 'order-b', 2)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    const item = await client.send(
      new GetItemCommand({ TableName: productTable, Key: { id: { S: id } } }),
    );
    expect(item.Item?.['stock']?.N).toBe('1');
    expect(item.Item?.['reservations']?.M?.['order-a']?.N).toBe('2');
  });

  it('gives ResourceNotFoundException for an unknown table and stays up', async () => {
    await expect(
      client.send(new GetItemCommand({ TableName: 'NoSuchTable', Key: { id: { S: 'x' } } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
  });

  it('refuses an item over 400 KB with a ValidationException and writes nothing', async () => {
    const id = `too-big-${Date.now()}`;
    await expect(
      client.send(
        new PutItemCommand({
          TableName: productTable,
          Item: { id: { S: id }, blob: { S: 'x'.repeat(1_100_000) } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const item = await client.send(
      new GetItemCommand({ TableName: productTable, Key: { id: { S: id } } }),
    );
    expect(item.Item).toBeUndefined();
  });
});
