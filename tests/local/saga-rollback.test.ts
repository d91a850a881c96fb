/**
 * Rollback of the order saga where a step or a compensation fails in ways saga.test.ts does not
 * cover, against the running local backend, as the shopper and the operator notice it: the
 * order's status and failure code, the PaymentIntents at (local) Stripe, and the product's stock.
 * Faults: the Lambda engine's hook (before a handler, or after it did its work) and the local
 * Stripe's (an answer lost after Stripe did the work).
 */
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { configureAmplify } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { readStock } from '../support/catalog';
import { clearFunctionFaults, injectFunctionFault } from '../support/faults';
import { HAPPY_PATH } from '../support/orders';
import {
  armedStripeFaults,
  chargesFor,
  clearStripeFaults,
  injectStripeFault,
} from '../support/payments';
import { orderToTheEnd, scenario } from '../support/scenario';

/** A run with retries that all fail waits out the workflow's backoff (seconds, with jitter). */
const RUN_TIMEOUT_MS = 150_000;

let backend: Backend;
/** Attempts a forward step gets in all: the first plus its Retry's MaxAttempts, as deployed. */
let forwardAttempts: number;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  configureAmplify(backend);
  const machine = await backend.sfn.send(
    new DescribeStateMachineCommand({ stateMachineArn: backend.orderWorkflowArn }),
  );
  const definition = JSON.parse(machine.definition ?? '{}') as {
    States: Record<string, { Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[] }>;
  };
  const retry = definition.States['AuthorizePayment']?.Retry?.find((r) =>
    r.ErrorEquals.includes('TransientError'),
  );
  forwardAttempts = 1 + (retry?.MaxAttempts ?? 3);
});

afterAll(() => backend?.close());

afterEach(async () => {
  await clearFunctionFaults(backend);
  await clearStripeFaults(backend);
});

describe('a forward step that fails transiently', () => {
  it(
    'ValidateOrder failing twice, then succeeding: the order completes, charged once',
    async () => {
      const run = await scenario(backend, 5, 2_400);
      await injectFunctionFault(backend, {
        functionName: 'validateOrder',
        count: 2,
        errorName: 'TransientError',
      });
      const { final } = await orderToTheEnd(run, 2, {}, RUN_TIMEOUT_MS);

      expect(final.status).toBe('COMPLETED');
      expect(final.statusHistory.map((h) => h?.status)).toEqual(HAPPY_PATH);
      const charges = await chargesFor(backend, final.id);
      expect(charges.intents.map((i) => i.status)).toEqual(['succeeded']);
      expect(charges.netCharged).toBe(final.totalCents);
      expect(charges.held).toBe(0);
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 3, reservations: {} });
      run.feed.close();
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});

describe('AuthorizePayment dying after Stripe authorized', () => {
  it(
    'on every attempt, after its work: FAILED, the authorization canceled, stock untouched',
    async () => {
      const run = await scenario(backend, 5, 2_400);
      await injectFunctionFault(backend, {
        functionName: 'authorizePayment',
        count: forwardAttempts,
        errorName: 'TransientError',
        when: 'after',
      });
      const { final } = await orderToTheEnd(run, 2, {}, RUN_TIMEOUT_MS);

      expect(final.status).toBe('FAILED');
      expect(final.failureCode).toBe('SERVICE_UNAVAILABLE');
      const charges = await chargesFor(backend, final.id);
      // Its first attempt did save the intent on the order; the retries found their work done.
      expect(final.paymentIntentId).toBe(charges.intents[0]?.id);
      expect(
        charges.intents.map((i) => [i.status, i.amount_capturable, i.amount_received]),
      ).toEqual([['canceled', 0, 0]]);
      expect(charges.held).toBe(0);
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 5, reservations: {} });
      run.feed.close();
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'before the intent id was saved, every time: FAILED, and VoidPayment finds the hold by search and cancels it',
    async () => {
      const run = await scenario(backend, 5, 2_400);
      // Every authorization call takes effect at Stripe and its answer is lost, so the order never
      // learns its PaymentIntent id: the SDK's own retries and the workflow's all meet the same.
      await injectStripeFault(backend, {
        operation: 'payment_intents.create',
        count: 1_000,
        kind: 'connection',
        when: 'after',
      });
      const { final } = await orderToTheEnd(run, 2, {}, RUN_TIMEOUT_MS);

      expect(final.status).toBe('FAILED');
      expect(final.failureCode).toBe('SERVICE_UNAVAILABLE');
      expect(final.paymentIntentId).toBeNull();
      expect(final.statusHistory.map((h) => h?.status)).not.toContain('PAYMENT_AUTHORIZED');
      const charges = await chargesFor(backend, final.id);
      // One PaymentIntent although authorization was tried many times: the key replays it.
      expect(
        charges.intents.map((i) => [i.status, i.amount_capturable, i.amount_received]),
      ).toEqual([['canceled', 0, 0]]);
      expect(charges.held).toBe(0);
      expect(charges.netCharged).toBe(0);
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 5, reservations: {} });
      run.feed.close();
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'once, losing every answer of its first attempt: the retry replays the key, one PaymentIntent, COMPLETED',
    async () => {
      const run = await scenario(backend, 5, 2_400);
      // The handler's Stripe client tries 3 times (maxNetworkRetries 2): all of the first
      // attempt's answers are lost, so the workflow retries the step, which must reuse the intent.
      await injectStripeFault(backend, {
        operation: 'payment_intents.create',
        count: 3,
        kind: 'connection',
        when: 'after',
      });
      const { final } = await orderToTheEnd(run, 1, {}, RUN_TIMEOUT_MS);

      expect(final.status).toBe('COMPLETED');
      // Every lost answer was met (Stripe authorized at least three times over), yet one intent.
      expect(await armedStripeFaults(backend)).toEqual([]);
      const charges = await chargesFor(backend, final.id);
      expect(charges.intents).toHaveLength(1);
      expect(charges.intents[0]?.id).toBe(final.paymentIntentId);
      expect(charges.intents[0]?.status).toBe('succeeded');
      expect(charges.netCharged).toBe(final.totalCents);
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 4, reservations: {} });
      run.feed.close();
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});

describe('a compensation that fails transiently', () => {
  it(
    'ReleaseInventory failing twice while CapturePayment failed: stock back, payment voided, FAILED with the reason',
    async () => {
      const run = await scenario(backend, 6, 2_400);
      await injectFunctionFault(backend, {
        functionName: 'capturePayment',
        count: 1,
        errorName: 'PaymentFailedError',
        message: 'PAYMENT_FAILED: the capture was refused',
      });
      await injectFunctionFault(backend, {
        functionName: 'releaseInventory',
        count: 2,
        errorName: 'TransientError',
      });
      const { final } = await orderToTheEnd(run, 4, {}, RUN_TIMEOUT_MS);

      expect(final.status).toBe('FAILED');
      expect(final.failureCode).toBe('PAYMENT_FAILED');
      expect(final.failureReason).toMatch(/not been charged/);
      // What the shopper can read of the order holds no error name nor the provider's wording.
      expect(JSON.stringify(final)).not.toMatch(/PaymentFailedError|capture was refused/);
      expect(run.feed.statuses(final.id)).toContain('INVENTORY_RESERVED');
      expect(await readStock(backend, run.product.id)).toEqual({ stock: 6, reservations: {} });
      const charges = await chargesFor(backend, final.id);
      expect(
        charges.intents.map((i) => [i.status, i.amount_capturable, i.amount_received]),
      ).toEqual([['canceled', 0, 0]]);
      expect(charges.netCharged).toBe(0);
      run.feed.close();
    },
    RUN_TIMEOUT_MS,
  );
});
