import { OrderNotFoundError } from '../../domain/errors';
import type { CatalogProduct, Order, OrderStatus, StatusChange } from '../../domain/order';
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

/** A move of an order to a new status, with the history entry for it and the fields set with it. */
export interface OrderMove {
  status: OrderStatus;
  statusHistory: StatusChange[];
  patch: OrderPatch;
}

/** Where the saga reads and writes orders. */
export interface OrderStore {
  find(id: string): Promise<Order | null>;
  /** Writes the move only if the order is still in the status it was read in; null when it was not. */
  moveIfUnchanged(read: Order, move: OrderMove): Promise<Order | null>;
}

/** Drops what GraphQL adds (__typename) and keeps an order's own fields. */
export const cleanHistory = (history: readonly StatusChange[]): StatusChange[] =>
  history.map(({ status, at, note }) => ({ status, at, note: note ?? null }));

/**
 * Orders through AppSync (IAM): updateOrder conditioned on the status read, selecting every field
 * so that the owner's onUpdateOrder subscription carries the whole order.
 */
export const appSyncOrders: OrderStore = {
  find: findOrder,
  async moveIfUnchanged(read, move) {
    try {
      const data = await graphql<{ updateOrder: Order }>(UPDATE_ORDER, {
        input: {
          id: read.id,
          status: move.status,
          statusHistory: move.statusHistory,
          ...move.patch,
        },
        condition: { status: { eq: read.status } },
      });
      return data.updateOrder;
    } catch (error) {
      if (error instanceof GraphQLRequestError && error.isConditionFailure) return null;
      throw error;
    }
  },
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
