/** The bench's figures from the orders' records, as JSON and as the table printed at the end. */
import type { BenchOptions } from './options';
import { UPDATES_OF_A_COMPLETED_ORDER, type OrderRecord } from './run';
import { summarize, type LatencySummary } from './stats';

export interface OrderFigures {
  ordersMeasured: number;
  completed: number;
  failed: number;
  /** COMPLETED orders per second, from the first placeOrder call to the last COMPLETED event. */
  ordersPerSecond: number | null;
  wallSeconds: number | null;
  /** From the placeOrder call to the COMPLETED event's arrival at the shopper's subscription. */
  placeOrderToCompletedMs: LatencySummary | null;
  /** From the placeOrder call to its answer (the order PENDING). */
  placeOrderAnswerMs: LatencySummary | null;
  /** From a status change's statusHistory `at` to the update's arrival at the subscriber. */
  statusChangeToSubscriberMs: LatencySummary | null;
  /** Backend time between consecutive statuses of COMPLETED orders (from their statusHistory). */
  stagesMs: Record<string, LatencySummary | null>;
  statusEventsReceived: number;
  /** Status updates of COMPLETED orders that never reached the subscriber. */
  statusEventsMissing: number;
  failures: { index: number; orderId: string | null; reason: string }[];
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** Computes the figures over the measured (not warm-up) orders. */
export function orderFigures(records: readonly OrderRecord[], options: BenchOptions): OrderFigures {
  const measured = records.filter((r) => !r.warmup);
  const completed = measured.filter((r) => r.finalStatus === 'COMPLETED' && r.endedAt !== null);
  const firstCall = Math.min(...measured.map((r) => r.placeCalledAt));
  const lastCompleted = Math.max(...completed.map((r) => r.endedAt as number));
  const wallSeconds = completed.length > 0 ? (lastCompleted - firstCall) / 1000 : null;
  const events = measured.flatMap((r) => r.events);
  const missing = completed.reduce(
    (sum, r) =>
      sum +
      UPDATES_OF_A_COMPLETED_ORDER.filter((s) => !r.events.some((e) => e.status === s)).length,
    0,
  );
  return {
    ordersMeasured: options.orders,
    completed: completed.length,
    failed: options.orders - completed.length,
    ordersPerSecond:
      wallSeconds && wallSeconds > 0 ? round(completed.length / wallSeconds, 2) : null,
    wallSeconds: wallSeconds === null ? null : round(wallSeconds, 2),
    placeOrderToCompletedMs: summarize(
      completed.map((r) => (r.endedAt as number) - r.placeCalledAt),
    ),
    placeOrderAnswerMs: summarize(
      measured.flatMap((r) =>
        r.placeAnsweredAt === null ? [] : [r.placeAnsweredAt - r.placeCalledAt],
      ),
    ),
    statusChangeToSubscriberMs: summarize(
      events.flatMap((e) => (e.changedAt === null ? [] : [e.arrivedAt - e.changedAt])),
    ),
    stagesMs: stages(completed),
    statusEventsReceived: events.length,
    statusEventsMissing: missing,
    failures: measured
      .filter((r) => r.finalStatus !== 'COMPLETED')
      .map((r) => ({
        index: r.index,
        orderId: r.orderId,
        reason: r.failure ?? `ended ${r.finalStatus ?? 'without a terminal status'}`,
      })),
  };
}

function stages(completed: readonly OrderRecord[]): Record<string, LatencySummary | null> {
  const samples = new Map<string, number[]>();
  for (const record of completed) {
    const history = record.events.find((e) => e.status === 'COMPLETED')?.history ?? [];
    const steps: [string, number, number][] = [];
    if (history[0])
      steps.push([`placeOrder call -> ${history[0].status}`, record.placeCalledAt, history[0].at]);
    history.forEach((change, i) => {
      const previous = history[i - 1];
      if (previous) steps.push([`${previous.status} -> ${change.status}`, previous.at, change.at]);
    });
    for (const [name, from, to] of steps)
      samples.set(name, [...(samples.get(name) ?? []), to - from]);
  }
  return Object.fromEntries([...samples].map(([name, values]) => [name, summarize(values)]));
}

const ms = (x: number | undefined): string =>
  x === undefined ? '-' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;

const latencyRow = (s: LatencySummary | null, which: ('p50' | 'p95' | 'p99' | 'max')[]): string =>
  s === null ? 'no sample' : `${which.map((p) => `${p} ${ms(s[p])}`).join('   ')}   (n=${s.count})`;

/** The summary table printed at the end of a run. */
export function summaryTable(
  figures: OrderFigures,
  memory: { backendPeakRssMiB: number | null; benchPeakRssMiB: number | null },
  cpu?: { cpuMsPerOrder: number | null; mainLoopUtilisation: number | null },
): string {
  const mib = (x: number | null): string => (x === null ? 'unknown' : `${x.toFixed(0)} MiB`);
  const rows: [string, string][] = [
    [
      'orders completed',
      `${figures.completed} / ${figures.ordersMeasured} (${figures.failed} not completed)`,
    ],
    [
      'orders per second',
      figures.ordersPerSecond === null
        ? '-'
        : `${figures.ordersPerSecond.toFixed(2)}   (${figures.wallSeconds?.toFixed(1)} s from first placeOrder to last COMPLETED)`,
    ],
    [
      'placeOrder -> COMPLETED',
      latencyRow(figures.placeOrderToCompletedMs, ['p50', 'p95', 'p99', 'max']),
    ],
    ['placeOrder answer', latencyRow(figures.placeOrderAnswerMs, ['p50', 'p95', 'p99'])],
    [
      'status change -> subscriber',
      latencyRow(figures.statusChangeToSubscriberMs, ['p50', 'p95', 'p99', 'max']),
    ],
    [
      'backend stages, p50',
      Object.entries(figures.stagesMs)
        .map(([name, s]) => `${name.split(' -> ')[1]} +${ms(s?.p50)}`)
        .join(', '),
    ],
    [
      'status updates',
      `${figures.statusEventsReceived} received, ${figures.statusEventsMissing} missing`,
    ],
    ['peak RSS, backend', mib(memory.backendPeakRssMiB)],
    ['peak RSS, bench', mib(memory.benchPeakRssMiB)],
    [
      'backend CPU per order',
      cpu?.cpuMsPerOrder == null ? 'unknown' : `${cpu.cpuMsPerOrder} ms (main thread + workers)`,
    ],
    [
      'backend main loop busy',
      cpu?.mainLoopUtilisation == null
        ? 'unknown'
        : `${(cpu.mainLoopUtilisation * 100).toFixed(0)}% of the measured run`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}   ${value}`).join('\n');
}
