/**
 * Seeds the catalog into the Product table on the local backend's first start, in Amplify's item
 * shape (__typename, createdAt, updatedAt), without touching products that already exist.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOG, imagePath } from './catalog';

export interface SeedOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  productTableName: string;
}

/** Writes every catalog product that is missing; returns how many it wrote. */
export async function seedCatalog(options: SeedOptions): Promise<number> {
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
    }),
  );
  const now = new Date().toISOString();
  let written = 0;
  try {
    for (const product of CATALOG) {
      try {
        await ddb.send(
          new PutCommand({
            TableName: options.productTableName,
            Item: {
              id: product.id,
              __typename: 'Product',
              sku: product.sku,
              name: product.name,
              description: product.description,
              priceCents: product.priceCents,
              currency: 'USD',
              image: imagePath(product),
              stock: product.stock,
              active: true,
              category: product.category,
              createdAt: now,
              updatedAt: now,
            },
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
        written += 1;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  } finally {
    ddb.destroy();
  }
  return written;
}
