import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CatalogProduct } from '../../../local/seed/catalog';

/**
 * A product as the seed writes it: a catalog entry (stock only when new) without its drawing, and
 * `image`, where the storefront loads its photo from (a path it serves itself, public/products/).
 */
export type SeedProduct = Omit<CatalogProduct, 'art'> & { image: string };

export interface SeedResult {
  /** Products that were missing and are now written, stock included. */
  created: string[];
  /** Products the seed wrote before and nobody changed since, given this catalog's text and price. */
  refreshed: string[];
  /** Products left exactly as they are: changed by an admin, or already from this catalog. */
  kept: string[];
}

/**
 * Loads the catalog into the Product table (Amplify's item shape) without ever overwriting a
 * product an admin changed. "Changed" is read from the item itself: the seed stamps what it writes
 * with `seededAt` equal to `updatedAt`, and every edit through the API (AppSync's model resolvers)
 * sets a new `updatedAt`. So:
 * - a missing product is written whole (`attribute_not_exists(id)`);
 * - a product still as the seed left it (`updatedAt = seededAt`) from an older catalog
 *   (`seedVersion <> version`) gets this catalog's name, description, price, category and image,
 *   never its stock, which orders move without touching `updatedAt`;
 * - anything else is kept. Every decision is a conditional write, so a concurrent edit wins.
 */
export async function seedProducts(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  products: readonly SeedProduct[],
  version: string,
  now: Date = new Date(),
): Promise<SeedResult> {
  const at = now.toISOString();
  const result: SeedResult = { created: [], refreshed: [], kept: [] };
  const isConditionFailure = (error: unknown): boolean =>
    error instanceof ConditionalCheckFailedException ||
    (error as Error).name === 'ConditionalCheckFailedException';
  for (const product of products) {
    try {
      await ddb.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...product,
            __typename: 'Product',
            currency: 'USD',
            active: true,
            createdAt: at,
            updatedAt: at,
            seededAt: at,
            seedVersion: version,
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      result.created.push(product.id);
      continue;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: product.id },
          UpdateExpression:
            'SET #name = :name, description = :description, priceCents = :price, category = :category, image = :image, seedVersion = :version, updatedAt = :at, seededAt = :at',
          ConditionExpression: 'updatedAt = seededAt AND seedVersion <> :version',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': product.name,
            ':description': product.description,
            ':price': product.priceCents,
            ':category': product.category,
            ':image': product.image,
            ':version': version,
            ':at': at,
          },
        }),
      );
      result.refreshed.push(product.id);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      result.kept.push(product.id);
    }
  }
  return result;
}
