import { IllegalTransitionError, OrderNotFoundError, TransientError } from '../../domain/errors';
import type { CatalogProduct, Order, OrderStatus, StatusChange } from '../../domain/order';
import { planTransition } from '../../domain/status';
import { GraphQLRequestError, graphql } from './data-client';

/**
 * Every field of Order. Mutations select all of them because an AppSync subscription delivers
 * only what the triggering mutation selected, and the owner's onUpdateOrder must see the whole order.
 */
export const ORDER_FIELDS = /* GraphQL */ `
  id
  owner
  email
  shippingAddress { name line1 line2 city region postalCode country }
  lines { productId sku name unitPriceCents quantity }
  subtotalCents
  taxCents
  shippingCents
  totalCents
  currency
  status
  statusHistory { status at note }
  failureCode
  failureReason
  paymentMethodId
  paymentIntentId
  receiptKey
  carrier
  trackingNumber
  idempotencyKey
  createdAt
  updatedAt
`;

export const GET_ORDER = /* GraphQL */ `
  query GetOrder($id: ID!) {
    getOrder(id: $id) { ${ORDER_FIELDS} }
  }
`;

export const CREATE_ORDER = /* GraphQL */ `
  mutation CreateOrder($input: CreateOrderInput!, $condition: ModelOrderConditionInput) {
    createOrder(input: $input, condition: $condition) { ${ORDER_FIELDS} }
  }
`;

export const UPDATE_ORDER = /* GraphQL */ `
  mutation UpdateOrder($input: UpdateOrderInput!, $condition: ModelOrderConditionInput) {
    updateOrder(input: $input, condition: $condition) { ${ORDER_FIELDS} }
  }
`;

const PRODUCT_FIELDS = 'id sku name priceCents currency stock active';

/** One request for many products: `p0: getProduct(id: $id0) {...} p1: ...`. */
export const getProductsDocument = (count: number): string => {
  const params = Array.from({ length: count }, (_, i) => `$id${i}: ID!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) => `p${i}: getProduct(id: $id${i}) { ${PRODUCT_FIELDS} }`,
  ).join('\n    ');
  return `query GetProducts(${params}) {\n    ${fields}\n  }`;
};

/** Drops what GraphQL adds (__typename) and keeps an order's own fields. */
const cleanHistory = (history: readonly StatusChange[]): StatusChange[] =>
  history.map(({ status, at, note }) => ({ status, at, note: note ?? null }));

/** Reads an order, or null when there is none. */
export const findOrder = async (id: string): Promise<Order | null> => {
  const data = await graphql<{ getOrder: Order | null }>(GET_ORDER, { id });
  return data.getOrder;
};

/** Reads an order; a missing one is OrderNotFoundError. */
export const getOrder = async (id: string): Promise<Order> => {
  const order = await findOrder(id);
  if (!order) throw new OrderNotFoundError(id);
  return order;
};

export type NewOrder = Omit<Order, 'createdAt' | 'updatedAt'>;

/** Creates an order, or returns the one that already has its id (created: false). */
export const createOrderOnce = async (
  order: NewOrder,
): Promise<{ order: Order; created: boolean }> => {
  try {
    const data = await graphql<{ createOrder: Order }>(CREATE_ORDER, { input: order });
    return { order: data.createOrder, created: true };
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.isConditionFailure) {
      return { order: await getOrder(order.id), created: false };
    }
    throw error;
  }
};

/** Fields a workflow step may set while advancing an order. */
export type OrderPatch = Partial<
  Pick<
    Order,
    | 'failureCode'
    | 'failureReason'
    | 'paymentIntentId'
    | 'receiptKey'
    | 'carrier'
    | 'trackingNumber'
  >
>;

export interface AdvanceOptions {
  orderId: string;
  to: OrderStatus;
  patch?: OrderPatch;
  note?: string;
  /** The statuses the order may be in; by default the status machine's predecessors of `to`. */
  from?: readonly OrderStatus[];
  now?: () => Date;
}

export interface Advanced {
  order: Order;
  /** False when the order had already reached `to` and nothing was written. */
  changed: boolean;
}

const MAX_ATTEMPTS = 4;

/**
 * Moves an order to `to` through updateOrder (IAM), conditioned on the status it was read in,
 * appending a StatusChange to its history and selecting every field. Idempotent: an order already
 * at (or past) `to` comes back unchanged without a write. A lost race re-reads and re-plans.
 */
export const advanceOrder = async (options: AdvanceOptions): Promise<Advanced> => {
  const { orderId, to, patch = {}, note, from, now = () => new Date() } = options;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const order = await getOrder(orderId);
    if (planTransition(order.status, to) === 'already-done') return { order, changed: false };
    if (from && !from.includes(order.status)) {
      throw new IllegalTransitionError(order.status, to);
    }
    const statusHistory = [
      ...cleanHistory(order.statusHistory),
      { status: to, at: now().toISOString(), note: note ?? null },
    ];
    try {
      const data = await graphql<{ updateOrder: Order }>(UPDATE_ORDER, {
        input: { id: orderId, status: to, statusHistory, ...patch },
        condition: { status: { eq: order.status } },
      });
      return { order: data.updateOrder, changed: true };
    } catch (error) {
      if (error instanceof GraphQLRequestError && error.isConditionFailure) continue;
      throw error;
    }
  }
  throw new TransientError(`order ${orderId} kept changing while moving it to ${to}`);
};

/** Loads catalog products by id in one request; unknown ids are absent from the map. */
export const loadProducts = async (
  ids: readonly string[],
): Promise<Map<string, CatalogProduct>> => {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const variables = Object.fromEntries(unique.map((id, i) => [`id${i}`, id]));
  const data = await graphql<Record<string, CatalogProduct | null>>(
    getProductsDocument(unique.length),
    variables,
  );
  const products = new Map<string, CatalogProduct>();
  for (const product of Object.values(data)) {
    if (product) products.set(product.id, product);
  }
  return products;
};
