import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import { OrderError, OrderNotFoundError, OrderValidationError } from '../../domain/errors';
import { isOwnedBy } from '../../domain/identity';
import type { Order } from '../../domain/order';
import { toShopperError } from '../shared/api-errors';
import { s3 } from '../shared/aws';
import { readEnv } from '../shared/env';
import {
  appSyncEventSchema,
  cognitoIdentitySchema,
  groupsOf,
  type CognitoIdentity,
} from '../shared/events';
import { findOrder } from '../shared/orders';
import { observed } from '../shared/observability';

/** How long a receipt link works. */
export const RECEIPT_LINK_SECONDS = 300;

const argumentsSchema = z.object({ orderId: z.string().min(1).max(128) });

/** Who may read an order's receipt: its owner, or an operator in ADMINS. */
export const mayReadReceipt = (order: Pick<Order, 'owner'>, caller: CognitoIdentity): boolean =>
  isOwnedBy(order.owner, caller.sub) || groupsOf(caller).includes('ADMINS');

export interface ReceiptUrlDeps {
  findOrder: (id: string) => Promise<Order | null>;
  presign: (key: string, expiresInSeconds: number) => Promise<string>;
  now: () => Date;
}

/** The receiptUrl logic over its dependencies: owner check, then a short-lived link. */
export const receiptUrlWith =
  (deps: ReceiptUrlDeps) =>
  async (event: unknown): Promise<{ url: string; expiresAt: string }> => {
    try {
      const { arguments: args, identity } = appSyncEventSchema.parse(event);
      const parsedArgs = argumentsSchema.safeParse(args);
      if (!parsedArgs.success) {
        throw new OrderValidationError('INVALID_ORDER', 'orderId is required', {
          field: 'orderId',
        });
      }
      const { orderId } = parsedArgs.data;
      const caller = cognitoIdentitySchema.safeParse(identity);
      const order = await deps.findOrder(orderId);
      // Someone else's order answers exactly like a missing one, so ids cannot be probed.
      if (!order || !caller.success || !mayReadReceipt(order, caller.data))
        throw new OrderNotFoundError(orderId);
      if (!order.receiptKey)
        throw new OrderError('RECEIPT_NOT_READY', `order ${orderId} has no receipt yet`);
      const issued = deps.now();
      const url = await deps.presign(order.receiptKey, RECEIPT_LINK_SECONDS);
      return {
        url,
        expiresAt: new Date(issued.getTime() + RECEIPT_LINK_SECONDS * 1000).toISOString(),
      };
    } catch (error) {
      throw toShopperError(error);
    }
  };

const presign = (key: string, expiresIn: number): Promise<string> => {
  const { RECEIPTS_BUCKET_NAME } = readEnv(['RECEIPTS_BUCKET_NAME']);
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: RECEIPTS_BUCKET_NAME,
      Key: key,
      ResponseContentType: 'application/pdf',
    }),
    { expiresIn },
  );
};

/** AppSync resolver for receiptUrl: a 5-minute presigned GET of the receipt, for the order's owner or ADMINS only. */
export const handler = observed(receiptUrlWith({ findOrder, presign, now: () => new Date() }));
