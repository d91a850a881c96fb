/**
 * What the operations page shows, computed from what the services hold: orders by status over
 * the last hour and day, the latest failures, and a saga execution's steps with their timings
 * (from Step Functions' history events). Pure: the operations function reads, this decides.
 */
import { ORDER_STATUSES, type OrderStatus } from './order';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** The slice of an order the summaries read. */
export interface OrderGlimpse {
  id: string;
  status: OrderStatus;
  createdAt: string;
  updatedAt?: string | null;
  failureCode?: string | null;
  failureReason?: string | null;
}

export interface StatusCount {
  status: OrderStatus;
  lastHour: number;
  lastDay: number;
}

/** Orders placed in the last hour and the last day, by their status now; every status listed. */
export function countByStatus(orders: readonly OrderGlimpse[], now: Date): StatusCount[] {
  const counts = new Map<OrderStatus, StatusCount>(
    ORDER_STATUSES.map((status) => [status, { status, lastHour: 0, lastDay: 0 }]),
  );
  const at = now.getTime();
  for (const order of orders) {
    const age = at - Date.parse(order.createdAt);
    const count = counts.get(order.status);
    // An unreadable or future date is no evidence of when the order was placed.
    if (!count || !Number.isFinite(age) || age < 0 || age > DAY_MS) continue;
    count.lastDay += 1;
    if (age <= HOUR_MS) count.lastHour += 1;
  }
  return [...counts.values()];
}

export interface Failure {
  orderId: string;
  failureCode: string;
  failureReason: string;
  at: string;
}

/** The most recent failed orders first, with the code and reason the shopper was shown. */
export function latestFailures(orders: readonly OrderGlimpse[], limit: number): Failure[] {
  return orders
    .filter((o) => o.status === 'FAILED')
    .map((o) => ({
      orderId: o.id,
      failureCode: o.failureCode ?? 'UNKNOWN',
      failureReason: o.failureReason ?? '(no reason recorded)',
      at: o.updatedAt ?? o.createdAt,
    }))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.orderId.localeCompare(a.orderId))
    .slice(0, limit);
}

/** A Step Functions history event as GetExecutionHistory returns it (the fields read here). */
export interface HistoryEventLike {
  id?: number;
  timestamp?: Date;
  type?: string;
  stateEnteredEventDetails?: { name?: string };
  stateExitedEventDetails?: { name?: string };
  taskFailedEventDetails?: { error?: string; cause?: string };
  taskTimedOutEventDetails?: { error?: string; cause?: string };
  lambdaFunctionFailedEventDetails?: { error?: string; cause?: string };
  lambdaFunctionTimedOutEventDetails?: { error?: string; cause?: string };
  executionFailedEventDetails?: { error?: string; cause?: string };
}

export type StepOutcome = 'SUCCEEDED' | 'FAILED' | 'RUNNING';

export interface StepTiming {
  step: string;
  outcome: StepOutcome;
  startedAt: string;
  /** Null while the step runs. */
  durationMs: number | null;
  attempts: number;
  /** The last attempt's error, when it failed. */
  error: string | null;
}

const FAILURE_DETAILS = [
  'taskFailedEventDetails',
  'taskTimedOutEventDetails',
  'lambdaFunctionFailedEventDetails',
  'lambdaFunctionTimedOutEventDetails',
] as const;

const ENDS_EXECUTION = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

/**
 * Each state the execution entered, in order, with how long it took, how many attempts it made
 * and how it ended. A state ends at its StateExited event, or (a failure that a Catch handled, or
 * the end of the execution) at whatever comes next. Attempts are counted from TaskScheduled
 * events (AWS) or, where a history has none, from its retries (the local engine's
 * TaskStateRetried).
 */
export function stepTimings(events: readonly HistoryEventLike[]): StepTiming[] {
  interface Open {
    timing: StepTiming;
    started: number;
    scheduled: number;
    retried: number;
    failedLast: boolean;
  }
  const steps: StepTiming[] = [];
  let open: Open | null = null;
  const close = (at: number | undefined, exited: boolean) => {
    if (!open) return;
    const { timing } = open;
    timing.attempts = open.scheduled > 0 ? open.scheduled : 1 + open.retried;
    timing.durationMs = at === undefined ? null : Math.max(0, at - open.started);
    timing.outcome =
      at === undefined ? 'RUNNING' : open.failedLast || !exited ? 'FAILED' : 'SUCCEEDED';
    if (timing.outcome !== 'FAILED') timing.error = null;
    open = null;
  };
  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp?.getTime();
    if (type.endsWith('StateEntered')) {
      close(at, false);
      const started = at ?? 0;
      const timing: StepTiming = {
        step: event.stateEnteredEventDetails?.name ?? '(unnamed)',
        outcome: 'RUNNING',
        startedAt: new Date(started).toISOString(),
        durationMs: null,
        attempts: 1,
        error: null,
      };
      steps.push(timing);
      open = { timing, started, scheduled: 0, retried: 0, failedLast: false };
      continue;
    }
    if (!open) continue;
    const current: Open = open;
    if (type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') {
      current.scheduled += 1;
      current.failedLast = false;
    } else if (type === 'TaskStateRetried') {
      current.retried += 1;
      current.failedLast = false;
    } else if (type.endsWith('StateExited')) {
      close(at, true);
    } else if (ENDS_EXECUTION.has(type)) {
      close(at, false);
    } else {
      const details = FAILURE_DETAILS.map((key) => event[key]).find(Boolean);
      if (details || type.endsWith('Failed') || type.endsWith('TimedOut')) {
        current.failedLast = true;
        current.timing.error = details?.error ?? type;
      } else if (type === 'TaskSucceeded' || type === 'LambdaFunctionSucceeded') {
        current.failedLast = false;
      }
    }
  }
  close(undefined, false);
  return steps;
}

/** One history event as the order's story shows it: when, what, in which state, and any error. */
export interface StoryEvent {
  at: string;
  type: string;
  step: string | null;
  detail: string | null;
}

/** The execution's events for a person to read (inputs and outputs left out: they hold no more than the order id). */
export function storyEvents(events: readonly HistoryEventLike[]): StoryEvent[] {
  let step: string | null = null;
  return events.map((event) => {
    const type = event.type ?? 'Unknown';
    step = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? step;
    const failure =
      FAILURE_DETAILS.map((key) => event[key]).find(Boolean) ?? event.executionFailedEventDetails;
    const detail = failure
      ? [failure.error, failure.cause].filter(Boolean).join(': ').slice(0, 500) || null
      : null;
    return {
      at: new Date(event.timestamp?.getTime() ?? 0).toISOString(),
      type,
      step: type.startsWith('Execution') ? null : step,
      detail,
    };
  });
}
