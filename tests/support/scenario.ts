/**
 * The usual set-up of a saga test: a fresh shopper following their orders over the subscription,
 * a product of their own, and an order for it placed and followed to its end.
 */
import type { Backend } from './backend';
import { createProduct, type TestProduct } from './catalog';
import {
  followOrders,
  orderRequest,
  placeOrderOk,
  type OrderFeed,
  type PlaceOrderArgs,
  type ShopperOrder,
} from './orders';
import { createShopper, type Shopper } from './shoppers';

export interface Scenario {
  shopper: Shopper;
  feed: OrderFeed;
  product: TestProduct;
}

/** A fresh shopper following their orders, and a product of their own with this stock. */
export async function scenario(
  backend: Backend,
  stock: number,
  priceCents = 1_250,
): Promise<Scenario> {
  const shopper = await createShopper(backend);
  const feed = await followOrders(shopper);
  const product = await createProduct(backend, { stock, priceCents });
  return { shopper, feed, product };
}

/** Places an order for `quantity` of the scenario's product and waits for its end. */
export async function orderToTheEnd(
  s: Scenario,
  quantity: number,
  overrides: Partial<PlaceOrderArgs> = {},
  timeoutMs?: number,
): Promise<{ placed: ShopperOrder; final: ShopperOrder }> {
  const placed = await placeOrderOk(
    s.shopper,
    orderRequest(s.shopper, [{ productId: s.product.id, quantity }], overrides),
  );
  const final = await s.feed.waitForEnd(placed.id, timeoutMs);
  return { placed, final };
}
