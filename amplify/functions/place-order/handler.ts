import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { checkOrderableLines, priceFromCatalog } from '../../domain/catalog';
import { OrderValidationError } from '../../domain/errors';
import { orderIdFor, ownerOf } from '../../domain/identity';
import type { CatalogProduct, Order } from '../../domain/order';
import { parseOrderRequest } from '../../domain/order-input';
import { priceLines } from '../../domain/pricing';
import { toShopperError } from '../shared/api-errors';
import { cognito, rethrowTransient, sqs } from '../shared/aws';
import { readEnv } from '../shared/env';
import { appSyncEventSchema, cognitoIdentitySchema } from '../shared/events';
import { METRIC, logger, observed, record } from '../shared/observability';
import { createOrderOnce, loadProducts, type NewOrder } from '../shared/orders';

export interface PlaceOrderDeps {
  loadProducts: (ids: readonly string[]) => Promise<Map<string, CatalogProduct>>;
  createOrderOnce: (order: NewOrder) => Promise<{ order: Order; created: boolean }>;
  enqueue: (orderId: string) => Promise<void>;
  /** The shopper's email address as the user pool holds it, if verified; else null. */
  verifiedEmailOf: (username: string) => Promise<string | null>;
  now: () => Date;
}

/** The placeOrder logic over its dependencies: validate, price on the server, store once, queue. */
export const placeOrderWith =
  (deps: PlaceOrderDeps) =>
  async (event: unknown): Promise<Order> => {
    try {
      const { arguments: args, identity } = appSyncEventSchema.parse(event);
      const caller = cognitoIdentitySchema.safeParse(identity);
      if (!caller.success) {
        throw new OrderValidationError(
          'INVALID_ORDER',
          'placing an order needs a signed-in shopper',
          {
            field: 'identity',
          },
        );
      }
      const request = parseOrderRequest(args);
      // Order emails go only to the signed-in shopper's own verified address, never to one the
      // caller names: otherwise anyone signed in could make the shop mail strangers.
      const email = await deps.verifiedEmailOf(caller.data.username);
      if (!email) {
        throw new OrderValidationError(
          'INVALID_ORDER',
          'your account has no verified email address to send order updates to',
          { field: 'identity' },
        );
      }
      const catalog = await deps.loadProducts(request.lines.map((line) => line.productId));
      checkOrderableLines(request.lines, catalog);
      const lines = priceFromCatalog(request.lines, catalog);
      const totals = priceLines(lines);
      const owner = ownerOf(caller.data.sub, caller.data.username);
      const id = orderIdFor(owner, request.idempotencyKey);
      const currency = catalog.get(lines[0]?.productId ?? '')?.currency.toLowerCase() ?? 'usd';
      const { order, created } = await deps.createOrderOnce({
        id,
        owner,
        email,
        shippingAddress: request.shippingAddress,
        lines,
        ...totals,
        currency,
        status: 'PENDING',
        statusHistory: [{ status: 'PENDING', at: deps.now().toISOString(), note: null }],
        paymentMethodId: request.paymentMethodId,
        idempotencyKey: request.idempotencyKey,
      });
      if (created) {
        logger.info('order placed', { orderId: order.id, totalCents: order.totalCents });
        record({ name: METRIC.ordersPlaced, unit: 'Count', value: 1 });
      }
      // A repeated key also re-queues a still-PENDING order, in case the first attempt stored it
      // but failed to queue it; the execution name (the order id) makes a duplicate harmless.
      if (order.status === 'PENDING') await deps.enqueue(order.id);
      return order;
    } catch (error) {
      throw toShopperError(error);
    }
  };

const enqueue = async (orderId: string): Promise<void> => {
  const { ORDERS_QUEUE_URL } = readEnv(['ORDERS_QUEUE_URL']);
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: ORDERS_QUEUE_URL,
        MessageBody: JSON.stringify({ orderId }),
      }),
    );
  } catch (error) {
    rethrowTransient('queueing the order', error);
  }
};

const verifiedEmailOf = async (username: string): Promise<string | null> => {
  const { USER_POOL_ID } = readEnv(['USER_POOL_ID']);
  let attributes: { Name?: string; Value?: string }[];
  try {
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: USER_POOL_ID, Username: username }),
    );
    attributes = user.UserAttributes ?? [];
  } catch (error) {
    return rethrowTransient("reading the shopper's email address", error);
  }
  const value = (name: string) => attributes.find((a) => a.Name === name)?.Value;
  return value('email_verified') === 'true' ? (value('email') ?? null) : null;
};

/** AppSync resolver for placeOrder: validates, prices on the server, stores the order PENDING once per key, and queues it. */
export const handler = observed(
  placeOrderWith({
    loadProducts,
    createOrderOnce,
    enqueue,
    verifiedEmailOf,
    now: () => new Date(),
  }),
);
