/**
 * Drives orders through a running local backend as shoppers do: a bench product, a few shoppers
 * each subscribed to onUpdateOrder before anything is placed, then N orders through placeOrder with
 * at most `concurrency` of them in flight (placed and not yet COMPLETED or FAILED).
 */
import { randomUUID } from 'node:crypto';
import { configureAmplify } from '../../tests/support/amplify';
import type { Backend } from '../../tests/support/backend';
import { createProduct, readStock } from '../../tests/support/catalog';
import { HAPPY_PATH, orderRequest, placeOrder, type OrderStatus } from '../../tests/support/orders';
import { createShopper, type Shopper } from '../../tests/support/shoppers';
import type { BenchOptions } from './options';
import { subscribeToStatusEvents, wallClockMs, type StatusEvent } from './status-feed';

/** One order's life as the bench saw it (times in epoch ms). */
export interface OrderRecord {
  index: number;
  warmup: boolean;
  idempotencyKey: string;
  orderId: string | null;
  placeCalledAt: number;
  placeAnsweredAt: number | null;
  events: StatusEvent[];
  /** Arrival of the COMPLETED or FAILED event. */
  endedAt: number | null;
  finalStatus: OrderStatus | null;
  /** Why the order is not COMPLETED (null when it is). */
  failure: string | null;
}

/** The run did not finish: the time limit passed, the backend died or a subscription failed. */
export class BenchAbortedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchAbortedError';
  }
}

export interface RunOutcome {
  records: OrderRecord[];
  productId: string;
  stockLeft: number | null;
  error: BenchAbortedError | null;
}

const TERMINAL: readonly OrderStatus[] = ['COMPLETED', 'FAILED'];

/** Runs the warm-up orders, then the measured ones; `progress` is told each time an order ends. */
export async function runOrders(
  backend: Backend,
  options: BenchOptions,
  hooks: {
    log: (line: string) => void;
    /** Rejects when the backend process is gone (checked throughout the run). */
    backendDied: Promise<never>;
    /** Called once the warm-up is over, right before the first measured order is placed. */
    onMeasuredStart?: () => void;
  },
): Promise<RunOutcome> {
  const { log } = hooks;
  configureAmplify(backend);
  const runId = randomUUID().slice(0, 8);
  const product = await createProduct(backend, {
    stock: options.orders + options.warmup + 10,
    priceCents: 1_000,
    name: `Bench product ${runId}`,
  });

  log(`creating ${options.shoppers} shoppers and subscribing each to onUpdateOrder ...`);
  const shoppers: Shopper[] = [];
  for (let i = 0; i < options.shoppers; i++) shoppers.push(await createShopper(backend, 'bench'));

  const records: OrderRecord[] = [];
  const byOrderId = new Map<string, OrderRecord>();
  // Updates may arrive before placeOrder's answer tells us which order they belong to.
  const early = new Map<string, StatusEvent[]>();
  const endWaiters = new Map<OrderRecord, () => void>();
  let failSubscription!: (error: Error) => void;
  const subscriptionFailed = new Promise<never>((_, reject) => (failSubscription = reject));

  const apply = (record: OrderRecord, event: StatusEvent): void => {
    record.events.push(event);
    if (record.endedAt === null && TERMINAL.includes(event.status)) {
      record.endedAt = event.arrivedAt;
      record.finalStatus = event.status;
      if (event.status === 'FAILED')
        record.failure = `FAILED ${event.failureCode ?? ''}: ${event.failureReason ?? ''}`.trim();
      endWaiters.get(record)?.();
    }
  };
  const onEvent = (event: StatusEvent): void => {
    const record = byOrderId.get(event.orderId);
    if (record) apply(record, event);
    else early.set(event.orderId, [...(early.get(event.orderId) ?? []), event]);
  };

  const subscriptions: { close(): void }[] = [];
  for (const shopper of shoppers)
    subscriptions.push(await subscribeToStatusEvents(shopper, onEvent, failSubscription));

  const runOne = async (index: number, warmup: boolean): Promise<OrderRecord> => {
    const shopper = shoppers[index % shoppers.length] as Shopper;
    const record: OrderRecord = {
      index,
      warmup,
      idempotencyKey: `bench-${runId}-${warmup ? 'warmup-' : ''}${index}`,
      orderId: null,
      placeCalledAt: wallClockMs(),
      placeAnsweredAt: null,
      events: [],
      endedAt: null,
      finalStatus: null,
      failure: null,
    };
    records.push(record);
    const request = orderRequest(shopper, [{ productId: product.id, quantity: 1 }], {
      idempotencyKey: record.idempotencyKey,
    });
    try {
      const { order, errors } = await placeOrder(shopper, request);
      record.placeAnsweredAt = wallClockMs();
      if (!order || errors.length > 0) {
        record.failure = `placeOrder refused it: ${errors.map((e) => e.message).join('; ') || 'no order returned'}`;
        return record;
      }
      record.orderId = order.id;
    } catch (error) {
      record.placeAnsweredAt = wallClockMs();
      record.failure = `placeOrder threw: ${(error as Error).message ?? String(error)}`;
      return record;
    }
    byOrderId.set(record.orderId, record);
    for (const event of early.get(record.orderId) ?? []) apply(record, event);
    early.delete(record.orderId);
    if (record.endedAt === null) {
      const limitMs = options.orderTimeoutSeconds * 1000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          resolve,
          Math.max(0, record.placeCalledAt + limitMs - wallClockMs()),
        );
        endWaiters.set(record, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      endWaiters.delete(record);
    }
    if (record.endedAt === null) {
      const seen = record.events.map((e) => e.status).join(' -> ') || 'no update';
      record.failure = `not finished within ${options.orderTimeoutSeconds} s (seen: ${seen})`;
    }
    return record;
  };

  let error: BenchAbortedError | null = null;
  try {
    const aborts = Promise.race([hooks.backendDied, subscriptionFailed]);
    aborts.catch(() => undefined);
    if (options.warmup > 0) {
      log(`warming up with ${options.warmup} order(s), one at a time (not measured) ...`);
      for (let i = 0; i < options.warmup; i++) {
        const warm = await Promise.race([runOne(i, true), aborts]);
        const took = ((warm.endedAt ?? wallClockMs()) - warm.placeCalledAt) / 1000;
        log(
          `  warm-up order ${i + 1}: ${warm.finalStatus ?? warm.failure} in ${took.toFixed(2)} s`,
        );
      }
    }

    log(`placing ${options.orders} orders, ${options.concurrency} in flight at a time ...`);
    let next = 0;
    let ended = 0;
    let failed = 0;
    let reportedDecile = 0;
    hooks.onMeasuredStart?.();
    const started = wallClockMs();
    const worker = async (): Promise<void> => {
      while (next < options.orders && error === null) {
        const record = await runOne(next++, false);
        ended++;
        if (record.failure) failed++;
        const decile = Math.floor((ended * 10) / options.orders);
        if (decile > reportedDecile) {
          reportedDecile = decile;
          const seconds = (wallClockMs() - started) / 1000;
          log(
            `  ${String(ended).padStart(String(options.orders).length)}/${options.orders} ended ` +
              `(${decile * 10}%) in ${seconds.toFixed(1)} s, ${failed} failed`,
          );
        }
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeLimit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new BenchAbortedError(
              `The orders did not finish within the time limit of ${options.timeLimitSeconds} s ` +
                `(${ended}/${options.orders} ended); raise it with --time-limit`,
            ),
          ),
        options.timeLimitSeconds * 1000,
      );
    });
    try {
      await Promise.race([
        Promise.all(Array.from({ length: Math.min(options.concurrency, options.orders) }, worker)),
        timeLimit,
        aborts,
      ]);
    } finally {
      clearTimeout(timer);
    }
  } catch (caught) {
    error =
      caught instanceof BenchAbortedError
        ? caught
        : new BenchAbortedError((caught as Error).message, { cause: caught });
    // Whatever is still in flight is reported as unfinished.
    for (const record of records)
      if (record.endedAt === null && record.failure === null) {
        const seen = record.events.map((e) => e.status).join(' -> ') || 'no update';
        record.failure = `unfinished when the run stopped (seen: ${seen})`;
      }
  } finally {
    for (const subscription of subscriptions) subscription.close();
  }

  const stockLeft = await readStock(backend, product.id).then(
    (s) => s.stock,
    () => null,
  );
  return { records, productId: product.id, stockLeft, error };
}

/** Statuses a COMPLETED order passes through after PENDING, each of which should reach the shopper. */
export const UPDATES_OF_A_COMPLETED_ORDER: readonly OrderStatus[] = HAPPY_PATH.slice(1);
