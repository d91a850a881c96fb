/**
 * Placing orders and following them as a shopper does: placeOrder through the real client, and
 * the shopper's onUpdateOrder subscription, which is how every status change reaches them.
 */
import { randomUUID } from 'node:crypto';
import { Hub } from 'aws-amplify/utils';
import type { Schema } from '../../amplify/data/resource';
import { HAPPY_PATH, TERMINAL_STATUSES } from '../../amplify/domain/status';
import { SUBSCRIPTION_ACK } from '../../lib/shopper-api';
import { asShopper, shopperClient } from './amplify';
import type { Shopper } from './shoppers';

export type PlaceOrderArgs = Schema['placeOrder']['args'];
export type OrderStatus = NonNullable<Schema['Order']['type']['status']>;
/** An order as its owner sees it over GraphQL. */
export type ShopperOrder = Schema['Order']['type'];

/** Every status of a successful order, in order, and the two an order ends in: the domain's own. */
export { HAPPY_PATH, TERMINAL_STATUSES };

export interface GraphQLErrorLike {
  message: string;
  errorType?: string | null;
}

/** A valid placeOrder request for these lines; override any argument. */
export function orderRequest(
  shopper: Shopper,
  lines: { productId: string; quantity: number }[],
  overrides: Partial<PlaceOrderArgs> = {},
): PlaceOrderArgs {
  return {
    idempotencyKey: `test-${randomUUID()}`,
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '1 Analytical Way',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    lines,
    paymentMethodId: 'pm_card_visa',
    ...overrides,
  };
}

/** Calls placeOrder as the shopper; resolves with what GraphQL answered (data or errors). */
export async function placeOrder(
  shopper: Shopper,
  request: PlaceOrderArgs,
): Promise<{ order: ShopperOrder | null; errors: GraphQLErrorLike[] }> {
  const result = await asShopper(shopper, () => shopperClient().mutations.placeOrder(request));
  return {
    order: (result.data as ShopperOrder | null) ?? null,
    errors: (result.errors ?? []) as GraphQLErrorLike[],
  };
}

/** Places an order that must be accepted (PENDING); throws with GraphQL's errors otherwise. */
export async function placeOrderOk(
  shopper: Shopper,
  request: PlaceOrderArgs,
): Promise<ShopperOrder> {
  const { order, errors } = await placeOrder(shopper, request);
  if (!order || errors.length > 0)
    throw new Error(`placeOrder failed: ${errors.map((e) => e.message).join('; ')}`);
  return order;
}

/** Runs a raw GraphQL document as the shopper (for arguments the typed client cannot express). */
export async function graphqlAsShopper(
  shopper: Shopper,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data: unknown; errors: GraphQLErrorLike[] }> {
  try {
    const result = (await asShopper(shopper, () =>
      shopperClient().graphql({ query, variables }),
    )) as { data?: unknown; errors?: GraphQLErrorLike[] };
    return { data: result.data ?? null, errors: result.errors ?? [] };
  } catch (thrown) {
    // The client rejects with { data, errors } when GraphQL answers with errors.
    const result = thrown as { data?: unknown; errors?: GraphQLErrorLike[] };
    if (Array.isArray(result.errors)) return { data: result.data ?? null, errors: result.errors };
    throw thrown;
  }
}

/** The shopper's orders as they read them (owner auth). */
export async function listMyOrders(shopper: Shopper): Promise<ShopperOrder[]> {
  const orders: ShopperOrder[] = [];
  let nextToken: string | null | undefined;
  do {
    const page = await asShopper(shopper, () =>
      shopperClient().models.Order.list({ limit: 100, nextToken }),
    );
    if (page.errors?.length) throw new Error(page.errors.map((e) => e.message).join('; '));
    orders.push(...(page.data as ShopperOrder[]));
    nextToken = page.nextToken;
  } while (nextToken);
  return orders;
}

/** Every update a shopper's onUpdateOrder subscription delivered, by order id, as they arrive. */
export interface OrderFeed {
  /** Updates of one order in arrival order. */
  updates(orderId: string): ShopperOrder[];
  /** Statuses of one order in arrival order. */
  statuses(orderId: string): OrderStatus[];
  /** Resolves with the order once an update carries one of these statuses. */
  waitFor(
    orderId: string,
    statuses: readonly OrderStatus[],
    timeoutMs?: number,
  ): Promise<ShopperOrder>;
  /** Resolves with the order once it is COMPLETED or FAILED. */
  waitForEnd(orderId: string, timeoutMs?: number): Promise<ShopperOrder>;
  errors: unknown[];
  close(): void;
}

/**
 * Subscribes to the shopper's order updates and resolves once AppSync acknowledged the
 * subscription, so nothing the workflow does afterwards can be missed. Open feeds one at a time.
 */
export async function followOrders(shopper: Shopper, ackTimeoutMs = 15_000): Promise<OrderFeed> {
  const byOrder = new Map<string, ShopperOrder[]>();
  const waiters = new Set<() => void>();
  const errors: unknown[] = [];
  let acknowledged!: () => void;
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  const stopListening = Hub.listen('api', ({ payload }) => {
    if (payload.event === SUBSCRIPTION_ACK) acknowledged();
  });
  const subscription = asShopper(shopper, () =>
    shopperClient()
      .models.Order.onUpdate()
      .subscribe({
        next: (order) => {
          const list = byOrder.get(order.id) ?? [];
          list.push(order as ShopperOrder);
          byOrder.set(order.id, list);
          for (const wake of [...waiters]) wake();
        },
        error: (error: unknown) => {
          errors.push(error);
          for (const wake of [...waiters]) wake();
        },
      }),
  );
  try {
    await Promise.race([
      ack,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`onUpdateOrder was not acknowledged for ${shopper.email}`)),
          ackTimeoutMs,
        ),
      ),
    ]);
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  } finally {
    stopListening();
  }

  const updates = (orderId: string) => [...(byOrder.get(orderId) ?? [])];
  const waitFor = (orderId: string, statuses: readonly OrderStatus[], timeoutMs = 60_000) =>
    new Promise<ShopperOrder>((resolve, reject) => {
      const check = (): boolean => {
        const hit = updates(orderId).find((o) => o.status && statuses.includes(o.status));
        if (hit) {
          done();
          resolve(hit);
          return true;
        }
        if (errors.length > 0) {
          done();
          reject(new Error(`The subscription failed: ${JSON.stringify(errors[0])}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `Order ${orderId} did not reach ${statuses.join('/')} within ${timeoutMs} ms; ` +
              `statuses seen: ${updates(orderId)
                .map((o) => o.status)
                .join(' -> ')}`,
          ),
        );
      }, timeoutMs);
      const wake = (): void => void check();
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      waiters.add(wake);
      check();
    });
  return {
    updates,
    statuses: (orderId) => updates(orderId).flatMap((o) => (o.status ? [o.status] : [])),
    waitFor,
    waitForEnd: (orderId, timeoutMs) => waitFor(orderId, TERMINAL_STATUSES, timeoutMs),
    errors,
    close: () => subscription.unsubscribe(),
  };
}

/** placeOrder as raw GraphQL, for requests the typed client would not let through. */
export const PLACE_ORDER_DOCUMENT = /* GraphQL */ `
  mutation PlaceOrder(
    $idempotencyKey: String!
    $shippingAddress: ShippingAddressInput!
    $lines: [CartLineInput!]!
    $paymentMethodId: String!
  ) {
    placeOrder(
      idempotencyKey: $idempotencyKey
      shippingAddress: $shippingAddress
      lines: $lines
      paymentMethodId: $paymentMethodId
    ) {
      id
      email
      status
    }
  }
`;
