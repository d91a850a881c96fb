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
  /**
   * Products left exactly as they are: changed by an admin, already from this catalog, or deleted
   * since an earlier catalog seeded them.
   */
  kept: string[];
}

export interface SeedOptions {
  /**
   * Ids an earlier seed of this table already wrote (the previous catalog's). One of them missing
   * now was deleted on purpose by the shop, so it is not written again; only a product new to
   * the catalog is created.
   */
  seededBefore?: ReadonlySet<string>;
  now?: Date;
}

/**
 * Loads the catalog into the Product table (Amplify's item shape) without ever overwriting a
 * product an admin changed. "Changed" is read from the item itself: the seed stamps what it writes
 * with `seededAt` equal to `updatedAt`, and every edit through the API (AppSync's model resolvers)
 * sets a new `updatedAt`. So:
 * - a missing product is written whole (`attribute_not_exists(id)`), unless an earlier catalog
 *   seeded it (`seededBefore`): then the shop deleted it, and it stays deleted;
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
  { seededBefore = new Set(), now = new Date() }: SeedOptions = {},
): Promise<SeedResult> {
  const at = now.toISOString();
  const result: SeedResult = { created: [], refreshed: [], kept: [] };
  const isConditionFailure = (error: unknown): boolean =>
    error instanceof ConditionalCheckFailedException ||
    (error as Error).name === 'ConditionalCheckFailedException';
  /** Writes the product whole if the table has no item of its id; false when it has one. */
  const createIfMissing = async (product: SeedProduct): Promise<boolean> => {
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
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  for (const product of products) {
    // Seeded before and missing now means deleted: the refresh below finds nothing to update.
    if (!seededBefore.has(product.id) && (await createIfMissing(product))) {
      result.created.push(product.id);
      continue;
    }
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: product.id },
          UpdateExpression:
            'SET #name = :name, description = :description, priceCents = :price, category = :category, image = :image, seedVersion = :version, updatedAt = :at, seededAt = :at',
          // An update never creates an item: a deleted product stays deleted.
          ConditionExpression:
            'attribute_exists(id) AND updatedAt = seededAt AND seedVersion <> :version',
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
