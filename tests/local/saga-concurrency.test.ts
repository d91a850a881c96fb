/**
 * 100 shoppers' orders at once for the last 10 units: exactly 10 complete, the other 90 fail
 * OUT_OF_STOCK, nothing is oversold, and no card is left with money captured or held for them.
 * Slow on a shared 2-core machine (minutes); the duration is printed, never asserted.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { configureAmplify } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { createProduct, readStock } from '../support/catalog';
import {
  followOrders,
  orderRequest,
  placeOrder,
  type OrderFeed,
  type PlaceOrderArgs,
  type ShopperOrder,
} from '../support/orders';
import { chargesFor } from '../support/payments';
import { createShopper, type Shopper } from '../support/shoppers';

const ORDERS = 100;
const STOCK = 10;
const SHOPPERS = 10;

let backend: Backend;
let retries = 0;

/**
 * Places an order as a shopper's client should: a placement that timed out is sent again with the
 * same idempotency key, which returns the order the first attempt stored (or stores it once).
 */
async function placeAsAClientWould(
  shopper: Shopper,
  request: PlaceOrderArgs,
): Promise<ShopperOrder> {
  for (let attempt = 1; ; attempt += 1) {
    const { order, errors } = await placeOrder(shopper, request);
    if (order && errors.length === 0) return order;
    const message = errors.map((e) => e.message).join('; ');
    if (attempt >= 4 || !/timed out|SERVICE_UNAVAILABLE/i.test(message))
      throw new Error(`placeOrder failed: ${message}`);
    retries += 1;
  }
}

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  configureAmplify(backend);
});

afterAll(() => backend?.close());

it(`${ORDERS} simultaneous orders for a product with stock ${STOCK} sell exactly ${STOCK}`, async () => {
  const product = await createProduct(backend, { stock: STOCK, priceCents: 4_200 });
  const shoppers: { shopper: Shopper; feed: OrderFeed }[] = [];
  for (let i = 0; i < SHOPPERS; i += 1) {
    const shopper = await createShopper(backend, `crowd${i}`);
    shoppers.push({ shopper, feed: await followOrders(shopper) });
  }

  const started = Date.now();
  const placing: number[] = [];
  const placed = await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const { shopper, feed } = shoppers[i % SHOPPERS]!;
      const t0 = Date.now();
      const order = await placeAsAClientWould(
        shopper,
        orderRequest(shopper, [{ productId: product.id, quantity: 1 }]),
      );
      placing.push(Date.now() - t0);
      return { order, feed };
    }),
  );
  const finals = await Promise.all(
    placed.map(({ order, feed }) => feed.waitForEnd(order.id, 9 * 60_000)),
  );
  placing.sort((a, b) => a - b);
  console.log(
    `${ORDERS} orders reached an end in ${Date.now() - started} ms; placeOrder p50 ` +
      `${placing[ORDERS / 2]} ms, max ${placing[ORDERS - 1]} ms, ${retries} placements retried`,
  );

  expect(new Set(finals.map((o) => o.id)).size).toBe(ORDERS);
  const completed = finals.filter((o) => o.status === 'COMPLETED');
  const failed = finals.filter((o) => o.status === 'FAILED');
  expect(completed).toHaveLength(STOCK);
  expect(failed).toHaveLength(ORDERS - STOCK);
  expect(new Set(failed.map((o) => o.failureCode))).toEqual(new Set(['OUT_OF_STOCK']));
  expect(await readStock(backend, product.id)).toEqual({ stock: 0, reservations: {} });

  const charges = await Promise.all(finals.map((o) => chargesFor(backend, o.id)));
  const captured = charges.filter((c) => c.netCharged > 0);
  expect(captured).toHaveLength(STOCK);
  for (const [i, c] of charges.entries()) {
    expect(c.held, `order ${finals[i]?.id} still holds money`).toBe(0);
    expect(c.netCharged).toBe(finals[i]?.status === 'COMPLETED' ? finals[i]?.totalCents : 0);
    expect(c.intents.filter((intent) => intent.status === 'requires_capture')).toEqual([]);
  }
  for (const { feed } of shoppers) feed.close();
}, 600_000);
