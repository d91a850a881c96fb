/**
 * Seeds the catalog into the Product table on the local backend's first start, in Amplify's item
 * shape (__typename, createdAt, updatedAt), without overwriting products changed since.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SEED_PRODUCTS, catalogVersion } from '../../amplify/functions/seed-catalog/catalog';
import { seedProducts } from '../../amplify/functions/seed-catalog/seed';

export interface SeedOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  productTableName: string;
}

/**
 * Seeds with the code the cloud's SeedCatalog custom resource runs (amplify/functions/seed-catalog):
 * missing products are written, untouched ones from an older catalog refreshed, changed ones kept.
 * Returns how many it wrote.
 */
export async function seedCatalog(options: SeedOptions): Promise<number> {
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
    }),
  );
  try {
    const result = await seedProducts(
      ddb,
      options.productTableName,
      SEED_PRODUCTS,
      catalogVersion(),
    );
    return result.created.length + result.refreshed.length;
  } finally {
    ddb.destroy();
  }
}
