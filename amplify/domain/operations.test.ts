import { describe, expect, it } from 'vitest';
import {
  countByStatus,
  latestFailures,
  stepTimings,
  storyEvents,
  type HistoryEventLike,
  type OrderGlimpse,
} from './operations';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const order = (id: string, status: OrderGlimpse['status'], minutesAgo: number, extra = {}) => ({
  id,
  status,
  createdAt: ago(minutesAgo),
  ...extra,
});

describe('countByStatus', () => {
  it('counts orders of the last hour and the last day by their status, listing every status', () => {
    const counts = countByStatus(
      [
        order('a', 'COMPLETED', 5),
        order('b', 'COMPLETED', 59),
        order('c', 'COMPLETED', 61),
        order('d', 'FAILED', 23 * 60),
        order('e', 'PENDING', 1),
        order('f', 'COMPLETED', 25 * 60),
      ],
      NOW,
    );
    expect(counts.find((c) => c.status === 'COMPLETED')).toEqual({
      status: 'COMPLETED',
      lastHour: 2,
      lastDay: 3,
    });
    expect(counts.find((c) => c.status === 'FAILED')).toEqual({
      status: 'FAILED',
      lastHour: 0,
      lastDay: 1,
    });
    expect(counts.find((c) => c.status === 'PENDING')?.lastHour).toBe(1);
    expect(counts.map((c) => c.status)).toContain('SHIPPED');
    expect(counts.find((c) => c.status === 'SHIPPED')).toEqual({
      status: 'SHIPPED',
      lastHour: 0,
      lastDay: 0,
    });
  });

  it('ignores an order dated in the future or not dated at all', () => {
    const counts = countByStatus(
      [order('x', 'PENDING', -10), { id: 'y', status: 'PENDING', createdAt: 'yesterday' }],
      NOW,
    );
    expect(counts.find((c) => c.status === 'PENDING')).toEqual({
      status: 'PENDING',
      lastHour: 0,
      lastDay: 0,
    });
  });
});

describe('latestFailures', () => {
  it('lists failed orders only, newest first, with code and reason, up to the limit', () => {
    const failures = latestFailures(
      [
        order('old', 'FAILED', 50, {
          updatedAt: ago(49),
          failureCode: 'PAYMENT_DECLINED',
          failureReason: 'Your card was declined.',
        }),
        order('fine', 'COMPLETED', 1),
        order('new', 'FAILED', 10, {
          updatedAt: ago(9),
          failureCode: 'OUT_OF_STOCK',
          failureReason: 'Tent is sold out.',
        }),
        order('older', 'FAILED', 70, { updatedAt: ago(69), failureCode: 'INTERNAL' }),
      ],
      2,
    );
    expect(failures).toEqual([
      {
        orderId: 'new',
        failureCode: 'OUT_OF_STOCK',
        failureReason: 'Tent is sold out.',
        at: ago(9),
      },
      {
        orderId: 'old',
        failureCode: 'PAYMENT_DECLINED',
        failureReason: 'Your card was declined.',
        at: ago(49),
      },
    ]);
  });

  it('says so when a failed order has no code or reason', () => {
    expect(latestFailures([order('z', 'FAILED', 1)], 5)[0]).toMatchObject({
      failureCode: 'UNKNOWN',
      failureReason: '(no reason recorded)',
    });
  });
});

const t = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const entered = (name: string, s: number): HistoryEventLike => ({
  type: 'TaskStateEntered',
  timestamp: t(s),
  stateEnteredEventDetails: { name },
});
const exited = (name: string, s: number): HistoryEventLike => ({
  type: 'TaskStateExited',
  timestamp: t(s),
  stateExitedEventDetails: { name },
});
const failed = (s: number, error: string): HistoryEventLike => ({
  type: 'TaskFailed',
  timestamp: t(s),
  taskFailedEventDetails: { error, cause: `${error} happened` },
});

describe('stepTimings', () => {
  it('times each state from entered to exited, counting AWS TaskScheduled attempts', () => {
    const steps = stepTimings([
      { type: 'ExecutionStarted', timestamp: t(0) },
      entered('ValidateOrder', 0),
      { type: 'TaskScheduled', timestamp: t(0) },
      { type: 'TaskSucceeded', timestamp: t(0.25) },
      exited('ValidateOrder', 0.25),
      entered('AuthorizePayment', 0.25),
      { type: 'TaskScheduled', timestamp: t(0.25) },
      failed(1, 'TransientError'),
      { type: 'TaskScheduled', timestamp: t(3) },
      { type: 'TaskSucceeded', timestamp: t(4) },
      exited('AuthorizePayment', 4),
      { type: 'ExecutionSucceeded', timestamp: t(4) },
    ]);
    expect(steps).toEqual([
      {
        step: 'ValidateOrder',
        outcome: 'SUCCEEDED',
        startedAt: t(0).toISOString(),
        durationMs: 250,
        attempts: 1,
        error: null,
      },
      {
        step: 'AuthorizePayment',
        outcome: 'SUCCEEDED',
        startedAt: t(0.25).toISOString(),
        durationMs: 3750,
        attempts: 2,
        error: null,
      },
    ]);
  });

  it('marks a caught failure FAILED with its error, ending where the next state begins', () => {
    const steps = stepTimings([
      entered('ReserveInventory', 0),
      { type: 'TaskStateRetried', timestamp: t(1) },
      failed(2, 'OutOfStockError'),
      entered('VoidPayment', 2.5),
      exited('VoidPayment', 3),
      {
        type: 'FailStateEntered',
        timestamp: t(3),
        stateEnteredEventDetails: { name: 'OrderFailed' },
      },
      { type: 'ExecutionFailed', timestamp: t(3) },
    ]);
    expect(steps.map((s) => [s.step, s.outcome, s.durationMs, s.attempts, s.error])).toEqual([
      ['ReserveInventory', 'FAILED', 2500, 2, 'OutOfStockError'],
      ['VoidPayment', 'SUCCEEDED', 500, 1, null],
      ['OrderFailed', 'FAILED', 0, 1, null],
    ]);
  });

  it('leaves the state still running open, with no duration', () => {
    const steps = stepTimings([
      entered('CapturePayment', 0),
      { type: 'TaskScheduled', timestamp: t(0) },
    ]);
    expect(steps).toEqual([
      {
        step: 'CapturePayment',
        outcome: 'RUNNING',
        startedAt: t(0).toISOString(),
        durationMs: null,
        attempts: 1,
        error: null,
      },
    ]);
  });

  it('gives nothing for an empty history', () => {
    expect(stepTimings([])).toEqual([]);
  });
});

describe('storyEvents', () => {
  it('names the state each event belongs to and keeps failures readable', () => {
    expect(
      storyEvents([
        { type: 'ExecutionStarted', timestamp: t(0) },
        entered('CapturePayment', 1),
        failed(2, 'CardDeclined'),
        {
          type: 'ExecutionFailed',
          timestamp: t(3),
          executionFailedEventDetails: { error: 'CardDeclined', cause: 'no money' },
        },
      ]),
    ).toEqual([
      { at: t(0).toISOString(), type: 'ExecutionStarted', step: null, detail: null },
      { at: t(1).toISOString(), type: 'TaskStateEntered', step: 'CapturePayment', detail: null },
      {
        at: t(2).toISOString(),
        type: 'TaskFailed',
        step: 'CapturePayment',
        detail: 'CardDeclined: CardDeclined happened',
      },
      {
        at: t(3).toISOString(),
        type: 'ExecutionFailed',
        step: null,
        detail: 'CardDeclined: no money',
      },
    ]);
  });
});
