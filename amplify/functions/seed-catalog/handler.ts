import { z } from 'zod';
import { dynamo } from '../shared/aws';
import { readEnv } from '../shared/env';
import { logger, observed } from '../shared/observability';
import { SEED_PRODUCTS, catalogVersion } from './catalog';
import { seedProducts, type SeedResult } from './seed';

/*
 * A CloudFormation custom resource (backend.ts, `SeedCatalog`): CloudFormation invokes this
 * function when the resource is created, and again only when its `catalogVersion` property
 * changes, i.e. once per deployment that brings a new catalog. The function answers on the
 * request's presigned ResponseURL, as every Lambda-backed custom resource must.
 */

const requestSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.url(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  PhysicalResourceId: z.string().optional(),
  // Read apart (previousCatalogSchema), so that a request with a ResponseURL is answered even
  // when they are not what this function expects.
  OldResourceProperties: z.unknown().optional(),
});

/**
 * On Update, the properties of the deployment before: the ids its catalog seeded. A stack
 * deployed before the property existed has none, and then every missing product is written.
 */
const previousCatalogSchema = z
  .object({ productIds: z.array(z.string().min(1).max(256)).max(10_000).optional() })
  .optional();

export type CustomResourceRequest = z.infer<typeof requestSchema>;

/** The answer CloudFormation reads from the ResponseURL. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

export interface SeedCatalogDeps {
  /** `seededBefore`: the ids the previous catalog seeded (none on Create). */
  seed: (seededBefore: ReadonlySet<string>) => Promise<SeedResult>;
  respond: (url: string, response: CustomResourceResponse) => Promise<void>;
}

const PHYSICAL_ID = 'storefront-catalog-seed';

/**
 * Seeds on Create and Update (a product the previous catalog seeded and the shop deleted since is
 * not written again); Delete leaves the products (they are the shop's by then, and a
 * sandbox's table goes with its stack). A failed seed answers FAILED with the reason, so the
 * deployment shows it instead of hanging until CloudFormation's hour-long timeout.
 */
export const seedCatalogWith =
  (deps: SeedCatalogDeps) =>
  async (event: unknown): Promise<void> => {
    const request = requestSchema.parse(event);
    const answer = {
      PhysicalResourceId: request.PhysicalResourceId ?? PHYSICAL_ID,
      StackId: request.StackId,
      RequestId: request.RequestId,
      LogicalResourceId: request.LogicalResourceId,
    };
    if (request.RequestType === 'Delete') {
      await deps.respond(request.ResponseURL, { ...answer, Status: 'SUCCESS' });
      return;
    }
    try {
      const previous = previousCatalogSchema.safeParse(request.OldResourceProperties);
      if (!previous.success) {
        throw new Error('OldResourceProperties.productIds is not a list of product ids');
      }
      const result = await deps.seed(new Set(previous.data?.productIds ?? []));
      logger.info('catalog seeded', {
        created: result.created.length,
        refreshed: result.refreshed.length,
        kept: result.kept,
      });
      await deps.respond(request.ResponseURL, {
        ...answer,
        Status: 'SUCCESS',
        Data: {
          created: String(result.created.length),
          refreshed: String(result.refreshed.length),
          kept: String(result.kept.length),
        },
      });
    } catch (error) {
      logger.error('catalog seed failed', error as Error);
      await deps.respond(request.ResponseURL, {
        ...answer,
        Status: 'FAILED',
        Reason: `Seeding the catalog failed: ${(error as Error).message}`.slice(0, 1000),
      });
    }
  };

/** PUTs the answer to the presigned URL; S3 signed it with no content type. */
export const respondToCloudFormation = async (
  url: string,
  response: CustomResourceResponse,
): Promise<void> => {
  const answer = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify(response),
    signal: AbortSignal.timeout(10_000),
  });
  if (!answer.ok) throw new Error(`CloudFormation's ResponseURL answered ${answer.status}`);
};

/** Custom resource handler: seeds the Product table named by PRODUCT_TABLE_NAME. */
export const handler = observed(
  seedCatalogWith({
    seed: (seededBefore) =>
      seedProducts(
        dynamo,
        readEnv(['PRODUCT_TABLE_NAME']).PRODUCT_TABLE_NAME,
        SEED_PRODUCTS,
        catalogVersion(),
        { seededBefore },
      ),
    respond: respondToCloudFormation,
  }),
);
