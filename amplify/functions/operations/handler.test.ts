import { describe, expect, it } from 'vitest';
import type { OrderGlimpse } from '../../domain/operations';
import { ORDER_STATUSES } from '../../domain/order';
import { operationsWith, type OperationsDeps } from './handler';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

/** Fakes of what the services hold; records what the resolver asked of them. */
function fakes(overrides: Partial<OperationsDeps> = {}) {
  const calls: string[] = [];
  const orders: OrderGlimpse[] = [
    { id: 'o-1', status: 'COMPLETED', createdAt: minutesAgo(5) },
    {
      id: 'o-2',
      status: 'FAILED',
      createdAt: minutesAgo(90),
      updatedAt: minutesAgo(89),
      failureCode: 'PAYMENT_DECLINED',
      failureReason: 'Your card was declined.',
    },
  ];
  const deps: OperationsDeps = {
    ordersPlacedSince: async (status, since) => {
      calls.push(`orders ${status} since ${since}`);
      return orders.filter((o) => o.status === status);
    },
    findOrder: async (id) =>
      id === 'o-2'
        ? { ...orders[1]!, statusHistory: [{ status: 'PENDING', at: minutesAgo(90) }] }
        : null,
    queueDepth: async (queue) =>
      queue === 'orders' ? { visible: 2, inFlight: 1 } : { visible: 1, inFlight: 0 },
    peekDeadLetters: async () => {
      calls.push('peek dead letters');
      return [
        { messageId: 'm-1', body: '{"orderId":"o-9"}', sentAt: minutesAgo(3), receiveCount: 4 },
      ];
    },
    startRedrive: async () => {
      calls.push('redrive');
    },
    latestRedrive: async () =>
      calls.includes('redrive')
        ? {
            status: 'RUNNING',
            moved: 0,
            toMove: 1,
            startedAt: NOW.toISOString(),
            failureReason: null,
          }
        : null,
    listExecutions: async (status) =>
      status === 'FAILED'
        ? [
            {
              executionArn: 'arn:exec:o-2',
              name: 'o-2',
              status: 'FAILED',
              startedAt: minutesAgo(90),
              stoppedAt: minutesAgo(89),
            },
          ]
        : [],
    describeExecution: async (orderId) =>
      orderId === 'o-2'
        ? {
            executionArn: 'arn:exec:o-2',
            name: 'o-2',
            status: 'FAILED',
            startedAt: minutesAgo(90),
            stoppedAt: minutesAgo(89),
          }
        : null,
    executionHistory: async () => [
      {
        type: 'TaskStateEntered',
        timestamp: new Date(NOW.getTime() - 90 * 60_000),
        stateEnteredEventDetails: { name: 'AuthorizePayment' },
      },
      {
        type: 'TaskFailed',
        timestamp: new Date(NOW.getTime() - 90 * 60_000 + 1500),
        taskFailedEventDetails: { error: 'PaymentDeclinedError', cause: 'declined' },
      },
      { type: 'ExecutionFailed', timestamp: new Date(NOW.getTime() - 89 * 60_000) },
    ],
    orderLogs: async (orderId, window) => {
      calls.push(`logs ${orderId} ${window.from.toISOString()}..${window.to.toISOString()}`);
      return {
        lines: [
          {
            at: minutesAgo(90),
            functionName: 'placeOrder',
            level: 'INFO',
            message: 'order placed',
          },
        ],
        truncated: false,
      };
    },
    now: () => NOW,
    ...overrides,
  };
  return { deps, calls };
}

const admin = { sub: 'a-1', username: 'admin', groups: ['ADMINS'] };
const shopper = { sub: 's-1', username: 'shopper', groups: [] };
const event = (fieldName: string, identity: unknown, args: Record<string, unknown> = {}) => ({
  arguments: args,
  identity,
  info: { fieldName },
});

describe('operations resolver', () => {
  it('gives an admin the overview: counts, failures, queues, DLQ, executions with timings', async () => {
    const { deps, calls } = fakes();
    const overview = (await operationsWith(deps)(
      event('operationsOverview', admin, { withDeadLetters: true }),
    )) as {
      counts: { status: string; lastHour: number; lastDay: number }[];
      failures: unknown[];
      queues: unknown[];
      deadLetters: unknown[];
      executions: { name: string; steps: { step: string; durationMs: number | null }[] }[];
    };
    // Every status is read over exactly the last day.
    expect(calls.filter((c) => c.startsWith('orders'))).toHaveLength(ORDER_STATUSES.length);
    expect(calls).toContain(`orders FAILED since ${minutesAgo(24 * 60)}`);
    expect(overview.counts.find((c) => c.status === 'COMPLETED')).toEqual({
      status: 'COMPLETED',
      lastHour: 1,
      lastDay: 1,
    });
    expect(overview.counts.find((c) => c.status === 'FAILED')).toMatchObject({
      lastHour: 0,
      lastDay: 1,
    });
    expect(overview.failures).toEqual([
      {
        orderId: 'o-2',
        failureCode: 'PAYMENT_DECLINED',
        failureReason: 'Your card was declined.',
        at: minutesAgo(89),
      },
    ]);
    expect(overview.queues).toEqual([
      { name: 'OrdersQueue', visible: 2, inFlight: 1 },
      { name: 'OrdersDeadLetterQueue', visible: 1, inFlight: 0 },
    ]);
    expect(overview.deadLetters).toHaveLength(1);
    expect(overview.executions.map((e) => [e.name, e.steps])).toEqual([
      [
        'o-2',
        [
          expect.objectContaining({
            step: 'AuthorizePayment',
            durationMs: 60_000,
            outcome: 'FAILED',
          }),
        ],
      ],
    ]);
  });

  it('reads the dead letters only when asked: each read adds to their receive counts', async () => {
    // Prepare
    const { deps, calls } = fakes();
    const resolve = operationsWith(deps);
    // Act
    const quiet = (await resolve(event('operationsOverview', admin, {}))) as {
      deadLetters: unknown;
      queues: unknown[];
    };
    const alsoQuiet = (await resolve(
      event('operationsOverview', admin, { withDeadLetters: null }),
    )) as { deadLetters: unknown };
    // Assess: the depth is still there; the letters are not, and nothing received them
    expect(quiet.deadLetters).toBeNull();
    expect(alsoQuiet.deadLetters).toBeNull();
    expect(quiet.queues).toContainEqual({ name: 'OrdersDeadLetterQueue', visible: 1, inFlight: 0 });
    expect(calls).not.toContain('peek dead letters');
  });

  it.each([
    ['a string', 'yes'],
    ['a number', 1],
    ['an object', { peek: true }],
  ])('refuses withDeadLetters given as %s, reading nothing', async (_what, withDeadLetters) => {
    const { deps, calls } = fakes();
    await expect(
      operationsWith(deps)(event('operationsOverview', admin, { withDeadLetters })),
    ).rejects.toThrow(/INVALID_ARGUMENTS/);
    expect(calls).toEqual([]);
  });

  it("tells an order's story: status history, its execution's steps and events", async () => {
    const { deps, calls } = fakes();
    const story = (await operationsWith(deps)(event('orderStory', admin, { orderId: 'o-2' }))) as {
      statusHistory: unknown[];
      steps: { step: string; error: string | null }[];
      events: { type: string }[];
      execution: { status: string };
    };
    expect(story.statusHistory).toEqual([{ status: 'PENDING', at: minutesAgo(90), note: null }]);
    expect(story.execution.status).toBe('FAILED');
    expect(story.steps[0]).toMatchObject({
      step: 'AuthorizePayment',
      error: 'PaymentDeclinedError',
    });
    expect(story.events.map((e) => e.type)).toEqual([
      'TaskStateEntered',
      'TaskFailed',
      'ExecutionFailed',
    ]);
    // Its log lines, searched over its lifetime: a minute before it was placed to five minutes
    // after its last change (it is finished).
    expect(calls).toContain(`logs o-2 ${minutesAgo(91)}..${minutesAgo(84)}`);
    expect(story).toMatchObject({
      logLines: [{ functionName: 'placeOrder', level: 'INFO', message: 'order placed' }],
      logsFrom: minutesAgo(91),
      logsTo: minutesAgo(84),
      logLinesTruncated: false,
      logError: null,
    });
  });

  it('still tells the story when the logs cannot be read, and says why', async () => {
    // Prepare
    const denied = Object.assign(new Error('not authorized to perform logs:FilterLogEvents'), {
      name: 'AccessDeniedException',
    });
    const { deps } = fakes({ orderLogs: () => Promise.reject(denied) });
    // Act
    const story = await operationsWith(deps)(event('orderStory', admin, { orderId: 'o-2' }));
    // Assess
    expect(story).toMatchObject({
      status: 'FAILED',
      logLines: [],
      logError: 'AccessDeniedException: not authorized to perform logs:FilterLogEvents',
    });
  });

  it('answers null for an unknown order and refuses a missing id', async () => {
    const { deps } = fakes();
    const resolve = operationsWith(deps);
    expect(await resolve(event('orderStory', admin, { orderId: 'nope' }))).toBeNull();
    await expect(resolve(event('orderStory', admin, {}))).rejects.toThrow(/INVALID_ORDER/);
  });

  it('starts a redrive and reports the task', async () => {
    const { deps, calls } = fakes();
    const task = await operationsWith(deps)(event('redriveDeadLetters', admin));
    expect(calls).toContain('redrive');
    expect(task).toMatchObject({ status: 'RUNNING', toMove: 1 });
  });

  it.each([
    ['a shopper', shopper],
    ['a caller with no groups', { sub: 'x', username: 'x' }],
    ['an API-key caller (no identity)', null],
  ])('refuses %s every field, touching nothing', async (_who, identity) => {
    const { deps, calls } = fakes();
    const resolve = operationsWith(deps);
    for (const field of ['operationsOverview', 'orderStory', 'redriveDeadLetters']) {
      await expect(resolve(event(field, identity, { orderId: 'o-2' }))).rejects.toMatchObject({
        name: 'Unauthorized',
      });
    }
    expect(calls).toEqual([]);
  });
});
