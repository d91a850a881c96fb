'use client';

import { fetchAuthSession, getCurrentUser } from 'aws-amplify/auth';
import { CONNECTION_STATE_CHANGE, ConnectionState, generateClient } from 'aws-amplify/data';
import { Hub } from 'aws-amplify/utils';
import type { Schema } from '@/amplify/data/resource';
import { fromThrown, toApiError, type GraphQLErrorLike } from './api-errors';
import { toOrder, toProduct } from './shape';
import type { Order, Page, Product, ShippingAddress } from './types';

type DataClient = ReturnType<typeof generateClient<Schema>>;
let client: DataClient | null = null;

// Created lazily: generateClient must run after Amplify.configure.
const data = (): DataClient => (client ??= generateClient<Schema>({ authMode: 'userPool' }));

const unwrap = <T>(result: { data: T; errors?: readonly GraphQLErrorLike[] | undefined }): T => {
  if (result.errors?.length) throw toApiError(result.errors);
  return result.data;
};

const call = async <T>(
  run: () => Promise<{ data: T; errors?: readonly GraphQLErrorLike[] | undefined }>,
): Promise<T> => {
  try {
    return unwrap(await run());
  } catch (thrown) {
    throw fromThrown(thrown);
  }
};

export interface Shopper {
  userId: string;
  username: string;
  /** The value Amplify stores in Order.owner for this shopper. */
  owner: string;
  email: string | null;
  groups: string[];
  isAdmin: boolean;
}

/** The signed-in shopper, from the ID token's claims; null when nobody is signed in. */
export async function currentShopper(): Promise<Shopper | null> {
  try {
    const user = await getCurrentUser();
    const session = await fetchAuthSession();
    const claims = session.tokens?.idToken?.payload ?? {};
    const rawGroups = claims['cognito:groups'];
    const groups = Array.isArray(rawGroups) ? rawGroups.map(String) : [];
    return {
      userId: user.userId,
      username: user.username,
      owner: `${user.userId}::${user.username}`,
      email:
        typeof claims.email === 'string' ? claims.email : (user.signInDetails?.loginId ?? null),
      groups,
      isAdmin: groups.includes('ADMINS'),
    };
  } catch {
    return null;
  }
}

export interface PlaceOrderRequest {
  idempotencyKey: string;
  shippingAddress: ShippingAddress;
  lines: { productId: string; quantity: number }[];
  paymentMethodId: string;
}

/** Places an order for the signed-in shopper; the same idempotency key always gives the same order. */
export async function placeOrder(request: PlaceOrderRequest): Promise<Order> {
  const placed = await call(() => data().mutations.placeOrder(request));
  const order = toOrder(placed);
  if (!order) throw toApiError([{ message: 'The store did not return the order it placed.' }]);
  return order;
}

/** One of the shopper's orders; null when it does not exist or belongs to someone else. */
export async function getOrder(id: string): Promise<Order | null> {
  const record = await call(() => data().models.Order.get({ id }));
  return record ? toOrder(record) : null;
}

/**
 * aws-amplify's Hub event when AppSync acknowledges a subscription (its CONTROL_MSG.SUBSCRIPTION_ACK,
 * which the public `aws-amplify/data` entry point does not re-export).
 */
export const SUBSCRIPTION_ACK = 'Subscription ack';

type AckData = { variables?: { filter?: { id?: { eq?: unknown } } } };

/**
 * Follows an order live through the onUpdateOrder subscription (no polling). Returns the function
 * that stops following.
 *
 * `onLive` runs each time the subscription is known to be delivering: when AppSync acknowledges it,
 * and when a dropped connection comes back. Updates sent before that moment never reach this
 * subscriber, so the caller reads the order then to catch up with anything it missed.
 */
export function watchOrder(
  id: string,
  onOrder: (order: Order) => void,
  onError: (error: Error) => void,
  onLive?: () => void,
): () => void {
  let disrupted = false;
  // Listening starts before subscribing so that the acknowledgement cannot slip past.
  const stopListening = Hub.listen('api', ({ payload }) => {
    if (payload.event === SUBSCRIPTION_ACK) {
      if ((payload.data as AckData | undefined)?.variables?.filter?.id?.eq === id) onLive?.();
      return;
    }
    if (payload.event !== CONNECTION_STATE_CHANGE) return;
    const state = (payload.data as { connectionState?: ConnectionState }).connectionState;
    if (state === ConnectionState.Connected) {
      if (disrupted) onLive?.();
      disrupted = false;
    } else if (state !== ConnectionState.Connecting) {
      disrupted = true;
    }
  });
  const subscription = data()
    .models.Order.onUpdate({ filter: { id: { eq: id } } })
    .subscribe({
      next: (record) => {
        const order = toOrder(record);
        if (order) onOrder(order);
      },
      error: (thrown: unknown) => onError(fromThrown(thrown)),
    });
  return () => {
    stopListening();
    subscription.unsubscribe();
  };
}

/** The shopper's orders, newest first, a page at a time. */
export async function listMyOrders(
  owner: string,
  nextToken: string | null,
  limit = 10,
): Promise<Page<Order>> {
  const result = await data().models.Order.ordersByOwner(
    { owner },
    { sortDirection: 'DESC', limit, nextToken },
  );
  const items = unwrap(result);
  return {
    items: items.map(toOrder).filter((o): o is Order => o !== null),
    nextToken: result.nextToken ?? null,
  };
}

/** A fresh presigned link to the order's PDF receipt. */
export async function getReceiptLink(orderId: string): Promise<{ url: string; expiresAt: string }> {
  const link = await call(() => data().queries.receiptUrl({ orderId }));
  if (!link) throw toApiError([{ message: 'RECEIPT_NOT_READY: no receipt yet' }]);
  return link;
}

/** What the order page needs to let the shopper's bank confirm a payment (owner only). */
export interface BankConfirmation {
  clientSecret: string;
  paymentIntentId: string;
  /** Offline only: the local Stripe's authentication page. */
  redirectUrl: string | null;
}

/** The PaymentIntent's client secret for an order waiting on the shopper's bank. */
export async function getBankConfirmation(orderId: string): Promise<BankConfirmation> {
  const action = await call(() => data().queries.paymentAction({ orderId }));
  if (!action) throw toApiError([{ message: 'PAYMENT_FAILED: nothing to confirm' }]);
  return { ...action, redirectUrl: action.redirectUrl ?? null };
}

/** Every product, for the admin's inventory table (ADMINS read through the user pool). */
export async function listInventory(): Promise<Product[]> {
  const products: Product[] = [];
  let nextToken: string | null | undefined = null;
  do {
    const result: Awaited<ReturnType<DataClient['models']['Product']['list']>> =
      await data().models.Product.list({ limit: 1000, nextToken });
    products.push(
      ...unwrap(result)
        .map(toProduct)
        .filter((p): p is Product => p !== null),
    );
    nextToken = result.nextToken;
  } while (nextToken);
  return products.sort((a, b) => a.name.localeCompare(b.name));
}

const SET_STOCK = /* GraphQL */ `
  mutation SetStock($input: UpdateProductInput!, $condition: ModelProductConditionInput) {
    updateProduct(input: $input, condition: $condition) {
      id
      sku
      name
      description
      priceCents
      currency
      image
      stock
      active
      category
    }
  }
`;

/**
 * Sets a product's stock, only if it is still `expected` (so a sale that happened meanwhile is
 * never overwritten). A changed stock is refused with a clear message.
 */
export async function setStock(id: string, expected: number, stock: number): Promise<Product> {
  if (!Number.isSafeInteger(stock) || stock < 0 || stock > 1_000_000) {
    throw toApiError([
      { message: 'INVALID_ORDER: stock must be a whole number from 0 to 1,000,000' },
    ]);
  }
  try {
    const result = (await data().graphql({
      query: SET_STOCK,
      variables: { input: { id, stock }, condition: { stock: { eq: expected } } },
    })) as { data?: { updateProduct?: unknown }; errors?: GraphQLErrorLike[] };
    if (result.errors?.length) throw result;
    const product = toProduct(result.data?.updateProduct);
    if (!product) throw new Error('The store did not return the product.');
    return product;
  } catch (thrown) {
    const error = fromThrown(thrown);
    if (/conditional/i.test(`${error.detail} ${String((thrown as GraphQLErrorLike).errorType)}`)) {
      throw toApiError([
        {
          message:
            'INVALID_ORDER: the stock changed while you were editing it; reload and try again',
        },
      ]);
    }
    throw error;
  }
}

/** The most recent orders across all shoppers, for the admin overview. */
export async function listRecentOrders(nextToken: string | null, limit = 25): Promise<Page<Order>> {
  const result = await data().models.Order.list({ limit, nextToken });
  const items = unwrap(result)
    .map(toOrder)
    .filter((o): o is Order => o !== null)
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return { items, nextToken: result.nextToken ?? null };
}
