/**
 * Crash and resume: a backend of its own is killed with SIGKILL while an order is mid-workflow and
 * started again on the same state; the order still completes, charged once, stock moved once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { asShopper, configureAmplify, shopperClient } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { createProduct, readStock } from '../support/catalog';
import {
  killHard,
  startLocalProcess,
  stopLocalProcess,
  type LocalProcess,
} from '../support/local-process';
import { HAPPY_PATH, followOrders, orderRequest, placeOrderOk } from '../support/orders';
import { chargesFor } from '../support/payments';
import { createShopper, signIn } from '../support/shoppers';
import { executionsFor, waitForExecutionEnd } from '../support/workflow';

const PORT_BASE = Number(process.env['SAGA_CRASH_PORT_BASE'] ?? 5600);
const stateDir = mkdtempSync(path.join(tmpdir(), 'storefront-crash-'));
let local: LocalProcess | undefined;
const backends: Backend[] = [];

afterAll(async () => {
  if (local) await stopLocalProcess(local);
  for (const b of backends) b.close();
  rmSync(stateDir, { recursive: true, force: true });
});

it('an order cut off by kill -9 at PAYMENT_AUTHORIZED completes after a restart, charged once', async () => {
  local = await startLocalProcess({ portBase: PORT_BASE, stateDir });
  const first = await connectBackend(local.outputsFile);
  backends.push(first);
  configureAmplify(first);
  const shopper = await createShopper(first, 'crash');
  const product = await createProduct(first, { stock: 6, priceCents: 3_100 });
  const feed = await followOrders(shopper);
  const placed = await placeOrderOk(
    shopper,
    orderRequest(shopper, [{ productId: product.id, quantity: 2 }]),
  );
  await feed.waitFor(placed.id, ['PAYMENT_AUTHORIZED']);
  await killHard(local);
  feed.close();

  local = await startLocalProcess({ portBase: PORT_BASE, stateDir });
  const second = await connectBackend(local.outputsFile);
  backends.push(second);
  configureAmplify(second);
  const again = await signIn(second, shopper.email, shopper.password);
  const resumed = await followOrders(again);
  // The resumed workflow may have finished before the subscription started: read once, then listen.
  const now = await asShopper(again, () => shopperClient().models.Order.get({ id: placed.id }));
  const final =
    now.data?.status === 'COMPLETED' || now.data?.status === 'FAILED'
      ? now.data
      : await resumed.waitForEnd(placed.id, 120_000);
  resumed.close();

  expect(final.status).toBe('COMPLETED');
  expect(final.statusHistory.map((h) => h?.status)).toEqual(HAPPY_PATH);
  const charges = await chargesFor(second, placed.id);
  expect(charges.intents).toHaveLength(1);
  expect(charges.netCharged).toBe(final.totalCents);
  expect(charges.held).toBe(0);
  expect(await readStock(second, product.id)).toEqual({ stock: 4, reservations: {} });
  expect((await waitForExecutionEnd(second, placed.id)).status).toBe('SUCCEEDED');
  expect(await executionsFor(second, placed.id)).toHaveLength(1);
}, 420_000);
