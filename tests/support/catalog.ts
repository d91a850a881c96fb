/**
 * Products made for one test (so each test starts from a known stock), and the stock as the
 * Product table holds it (read consistently, straight from DynamoDB).
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Backend } from './backend';

export interface TestProduct {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  active: boolean;
}

/** Writes a product as Amplify's model resolvers store it (with __typename and timestamps). */
export async function createProduct(
  backend: Backend,
  options: { stock: number; priceCents?: number; active?: boolean; name?: string },
): Promise<TestProduct> {
  const id = randomUUID();
  const product: TestProduct = {
    id,
    sku: `TEST-${id.slice(0, 8).toUpperCase()}`,
    name: options.name ?? `Test product ${id.slice(0, 8)}`,
    priceCents: options.priceCents ?? 1_250,
    stock: options.stock,
    active: options.active ?? true,
  };
  const now = new Date().toISOString();
  await backend.dynamodb.send(
    new PutItemCommand({
      TableName: backend.productTable,
      Item: {
        id: { S: product.id },
        __typename: { S: 'Product' },
        sku: { S: product.sku },
        name: { S: product.name },
        description: { S: 'Made by a test' },
        priceCents: { N: String(product.priceCents) },
        currency: { S: 'usd' },
        image: { S: '/products/test.png' },
        stock: { N: String(product.stock) },
        active: { BOOL: product.active },
        category: { S: 'test' },
        createdAt: { S: now },
        updatedAt: { S: now },
      },
      ConditionExpression: 'attribute_not_exists(id)',
    }),
  );
  return product;
}

/** The product's stock now, and the reservations still marked on it (order id -> quantity). */
export async function readStock(
  backend: Backend,
  productId: string,
): Promise<{ stock: number; reservations: Record<string, number> }> {
  const { Item } = await backend.dynamodb.send(
    new GetItemCommand({
      TableName: backend.productTable,
      Key: { id: { S: productId } },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new Error(`Product ${productId} is not in the Product table`);
  const reservations = Object.fromEntries(
    Object.entries(Item['reservations']?.M ?? {}).map(([order, q]) => [order, Number(q.N)]),
  );
  return { stock: Number(Item['stock']?.N), reservations };
}

/** Sets a product's stock as an operator restocking (or a sale elsewhere) would. */
export async function setStock(backend: Backend, productId: string, stock: number): Promise<void> {
  await backend.dynamodb.send(
    new UpdateItemCommand({
      TableName: backend.productTable,
      Key: { id: { S: productId } },
      UpdateExpression: 'SET stock = :s',
      ExpressionAttributeValues: { ':s': { N: String(stock) } },
      ConditionExpression: 'attribute_exists(id)',
    }),
  );
}
