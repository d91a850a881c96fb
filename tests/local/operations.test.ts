/**
 * The operations page's API against the running local backend, through aws-amplify as the page
 * calls it: what it reports is what the engines hold (orders placed and failed, the execution's
 * steps, a message poisoned into the DLQ), its redrive brings that message back and the order
 * completes, and a shopper or a guest is refused every field.
 */
import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { asShopper, configureAmplify, guestClient, shopperClient } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { clearFunctionFaults, injectFunctionFault } from '../support/faults';
import { orderRequest, placeOrderOk } from '../support/orders';
import { orderToTheEnd, scenario } from '../support/scenario';
import { createShopper, type Shopper } from '../support/shoppers';
import { setVisibilityTimeout } from '../support/workflow';

let backend: Backend;
let admin: Shopper;
let dlqArn: string;

const OVERVIEW = /* GraphQL */ `
  query Overview($withDeadLetters: Boolean) {
    operationsOverview(withDeadLetters: $withDeadLetters) {
      generatedAt
      counts {
        status
        lastHour
        lastDay
      }
      failures {
        orderId
        failureCode
        failureReason
        at
      }
      queues {
        name
        visible
        inFlight
      }
      deadLetters {
        messageId
        body
        sentAt
        receiveCount
      }
      redrive {
        status
        moved
        toMove
        startedAt
        failureReason
      }
      executions {
        executionArn
        name
        status
        startedAt
        stoppedAt
        steps {
          step
          outcome
          startedAt
          durationMs
          attempts
          error
        }
      }
    }
  }
`;
const STORY = /* GraphQL */ `
  query ($orderId: ID!) {
    orderStory(orderId: $orderId) {
      orderId
      status
      failureCode
      failureReason
      statusHistory {
        status
        at
        note
      }
      execution {
        name
        status
      }
      steps {
        step
        outcome
        durationMs
        attempts
        error
      }
      events {
        at
        type
        step
        detail
      }
      logLines {
        at
        functionName
        level
        message
      }
      logsFrom
      logsTo
      logLinesTruncated
      logError
    }
  }
`;
const REDRIVE = /* GraphQL */ `
  mutation {
    redriveDeadLetters {
      status
      moved
      toMove
      startedAt
      failureReason
    }
  }
`;

interface Overview {
  counts: { status: string; lastHour: number; lastDay: number }[];
  failures: { orderId: string; failureCode: string; failureReason: string }[];
  queues: { name: string; visible: number; inFlight: number }[];
  deadLetters: { body: string; receiveCount: number }[] | null;
  redrive: { status: string; moved: number; toMove: number } | null;
  executions: {
    name: string;
    status: string;
    steps: { step: string; outcome: string; durationMs: number | null }[];
  }[];
}

interface LoggedStory {
  logLines: { at: string; functionName: string; level: string | null; message: string }[];
  logsFrom: string;
  logsTo: string;
  logLinesTruncated: boolean;
  logError: string | null;
}

type Result = {
  data: Record<string, unknown> | null;
  errors: { errorType?: string; message?: string }[];
};

async function asCaller(caller: Shopper | 'guest', query: string, variables = {}): Promise<Result> {
  try {
    const result = (await (caller === 'guest'
      ? guestClient().graphql({ query, variables })
      : asShopper(caller, () => shopperClient().graphql({ query, variables })))) as Result;
    return { data: result.data ?? null, errors: result.errors ?? [] };
  } catch (thrown) {
    const result = thrown as Partial<Result>;
    if (Array.isArray(result.errors)) return { data: result.data ?? null, errors: result.errors };
    throw thrown;
  }
}

async function asAdmin<T>(query: string, field: string, variables = {}): Promise<T> {
  const { data, errors } = await asCaller(admin, query, variables);
  expect(errors).toEqual([]);
  return data?.[field] as T;
}

/** The overview with the dead letters read (each read adds one to their receive counts). */
const overview = async () => {
  const read = await asAdmin<Overview>(OVERVIEW, 'operationsOverview', { withDeadLetters: true });
  return { ...read, deadLetters: read.deadLetters ?? [] };
};
const count = (o: Overview, status: string) => o.counts.find((c) => c.status === status);

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  configureAmplify(backend);
  admin = await createShopper(backend, 'operator', ['ADMINS']);
  dlqArn = backend.deadLetterQueueUrl.replace(
    /^https?:\/\/[^/]+\/(\d+)\/(.+)$/,
    'arn:aws:sqs:us-east-1:$1:$2',
  );
});

afterAll(() => backend?.close());
afterEach(() => clearFunctionFaults(backend));

describe('the operations overview', () => {
  it('counts a completed and a failed order, lists the failure and times the failed execution', async () => {
    const before = await overview();
    const s = await scenario(backend, 5);
    const [completed, failed] = await Promise.all([
      orderToTheEnd(s, 1, {}, 180_000),
      orderToTheEnd(s, 1, { paymentMethodId: 'pm_card_chargeDeclined' }, 180_000),
    ]);
    s.feed.close();
    expect(completed.final.status).toBe('COMPLETED');
    expect(failed.final.status).toBe('FAILED');

    // Each order reads its last status a moment before its execution ends (the failed one in the
    // OrderFailed state, the completed one leaving the running list).
    const after = await until(
      'the executions to end',
      overview,
      (o) =>
        o.executions.some((e) => e.name === failed.placed.id && e.status === 'FAILED') &&
        !o.executions.some((e) => e.name === completed.placed.id),
    );
    expect(count(after, 'COMPLETED')?.lastHour).toBe(
      (count(before, 'COMPLETED')?.lastHour ?? 0) + 1,
    );
    expect(count(after, 'COMPLETED')?.lastDay).toBe((count(before, 'COMPLETED')?.lastDay ?? 0) + 1);
    expect(count(after, 'FAILED')?.lastHour).toBe((count(before, 'FAILED')?.lastHour ?? 0) + 1);
    expect(after.failures[0]).toEqual(
      expect.objectContaining({ orderId: failed.placed.id, failureCode: 'PAYMENT_DECLINED' }),
    );
    const execution = after.executions.find((e) => e.name === failed.placed.id);
    expect(execution?.status).toBe('FAILED');
    const authorize = execution?.steps.find((step) => step.step === 'AuthorizePayment');
    expect(authorize?.outcome).toBe('FAILED');
    expect(authorize?.durationMs).toBeGreaterThanOrEqual(0);
    expect(execution?.steps.map((step) => step.step)).toContain('VoidPayment');
    expect(after.executions.map((e) => e.name)).not.toContain(completed.placed.id);

    const story = await asAdmin<{
      status: string;
      statusHistory: { status: string }[];
      execution: { status: string };
      steps: { step: string; outcome: string }[];
      events: { type: string; step: string | null; detail: string | null }[];
    }>(STORY, 'orderStory', { orderId: failed.placed.id });
    expect(story.status).toBe('FAILED');
    expect(story.statusHistory.map((h) => h.status)).toEqual(
      failed.final.statusHistory.map((h) => h?.status),
    );
    expect(story.execution.status).toBe('FAILED');
    expect(story.steps[0]).toMatchObject({ step: 'ValidateOrder', outcome: 'SUCCEEDED' });
    expect(story.events[0]?.type).toBe('ExecutionStarted');
    expect(story.events.at(-1)?.type).toBe('ExecutionFailed');
    expect(story.events.some((e) => e.step === 'AuthorizePayment' && e.detail)).toBe(true);

    expect(await asAdmin(STORY, 'orderStory', { orderId: 'no-such-order' })).toBeNull();

    // Each order's log lines, read through CloudWatch Logs FilterLogEvents: several functions',
    // in time order, and none of the other order's (each took a path the other did not).
    const logsOf = async (orderId: string, lastFunction: string) => {
      const read = await until(
        `${lastFunction}'s log lines`,
        () => asAdmin<LoggedStory>(STORY, 'orderStory', { orderId }),
        (st) => st.logLines.some((l) => l.functionName === lastFunction),
      );
      // Reported for the operators' note, not asserted (no timed tests).
      const started = Date.now();
      await asAdmin<LoggedStory>(STORY, 'orderStory', { orderId });
      console.info(
        `orderStory with ${read.logLines.length} log lines answered in ${Date.now() - started} ms`,
      );
      expect(read.logError).toBeNull();
      expect(read.logLinesTruncated).toBe(false);
      const times = read.logLines.map((l) => Date.parse(l.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Date.parse(read.logsFrom)).toBeLessThanOrEqual(times[0] ?? 0);
      expect(Date.parse(read.logsTo)).toBeGreaterThanOrEqual(times.at(-1) ?? 0);
      return read.logLines;
    };
    // Every step's line carries its own order's id, even when both orders ran a step at once
    // (the local Lambda keeps Powertools' keys per invocation, as Lambda Managed Instances do).
    const completedLines = await logsOf(completed.placed.id, 'completeOrder');
    const completedBy = new Set(completedLines.map((l) => l.functionName));
    for (const fn of ['placeOrder', 'startOrderWorkflow', 'completeOrder'])
      expect(completedBy).toContain(fn);
    for (const [functionName, status] of [
      ['validateOrder', 'VALIDATED'],
      ['authorizePayment', 'PAYMENT_AUTHORIZED'],
      ['reserveInventory', 'INVENTORY_RESERVED'],
      ['capturePayment', 'PAYMENT_CAPTURED'],
      ['completeOrder', 'COMPLETED'],
    ])
      expect(completedLines).toContainEqual(
        expect.objectContaining({ functionName, message: `order moved to ${status}` }),
      );
    for (const fn of ['voidPayment', 'releaseInventory', 'failOrder'])
      expect(completedBy).not.toContain(fn);

    const failedLines = await logsOf(failed.placed.id, 'failOrder');
    const failedBy = new Set(failedLines.map((l) => l.functionName));
    for (const fn of ['placeOrder', 'startOrderWorkflow', 'failOrder'])
      expect(failedBy).toContain(fn);
    for (const fn of ['capturePayment', 'createShipment', 'completeOrder'])
      expect(failedBy).not.toContain(fn);
    expect(failedLines).toContainEqual(
      expect.objectContaining({
        functionName: 'failOrder',
        level: 'WARN',
        message: 'order failed',
      }),
    );
  }, 300_000);

  it('shows a message poisoned into the DLQ, redrives it, and the order completes', async () => {
    const s = await scenario(backend, 5);
    // The template's 180 s visibility timeout would make three failed receives take nine minutes.
    const original = await setVisibilityTimeout(backend, backend.ordersQueueUrl, 1);
    try {
      await injectFunctionFault(backend, {
        functionName: 'startOrderWorkflow',
        count: 3,
        errorName: 'InjectedFault',
      });
      const placed = await placeOrderOk(
        s.shopper,
        orderRequest(s.shopper, [{ productId: s.product.id, quantity: 2 }]),
      );
      await until(
        'the order message in the DLQ',
        overview,
        (o) =>
          o.deadLetters.some((m) => m.body.includes(placed.id)) &&
          (o.queues.find((q) => q.name === 'OrdersDeadLetterQueue')?.visible ?? 0) > 0,
      );
      await setVisibilityTimeout(backend, backend.ordersQueueUrl, original);

      // The page's refreshes that do not ask for the letters leave their receive counts alone;
      // each read that does adds one, as SQS's ReceiveMessage does.
      const receives = async () =>
        (await overview()).deadLetters.find((m) => m.body.includes(placed.id))?.receiveCount ?? 0;
      const first = await receives();
      for (let i = 0; i < 3; i++) {
        const quiet = await asAdmin<Overview>(OVERVIEW, 'operationsOverview', {});
        expect(quiet.deadLetters).toBeNull();
        const waiting = quiet.queues.find((q) => q.name === 'OrdersDeadLetterQueue')?.visible;
        expect(waiting).toBeGreaterThanOrEqual(1);
      }
      expect(await receives()).toBe(first + 1);

      const task = await asAdmin<{ status: string; toMove: number }>(REDRIVE, 'redriveDeadLetters');
      expect(task.toMove).toBeGreaterThanOrEqual(1);

      const final = await s.feed.waitForEnd(placed.id, 120_000);
      expect(final.status).toBe('COMPLETED');
      const later = await until(
        'the redrive to finish',
        overview,
        (o) => o.redrive?.status === 'COMPLETED',
      );
      expect(later.redrive?.moved).toBe(later.redrive?.toMove);
      expect(later.deadLetters.map((m) => m.body).join()).not.toContain(placed.id);
    } finally {
      s.feed.close();
      await setVisibilityTimeout(backend, backend.ordersQueueUrl, original);
    }
  }, 240_000);
});

describe('what a broken client sends', () => {
  it.each([
    ['a string', { withDeadLetters: 'yes' }],
    ['a number', { withDeadLetters: 1 }],
    ['an object', { withDeadLetters: { peek: true } }],
  ])(
    'refuses withDeadLetters given as %s, as AppSync does, and reads nothing',
    async (_what, variables) => {
      const { data, errors } = await asCaller(admin, OVERVIEW, variables);
      expect(data?.operationsOverview ?? null).toBeNull();
      expect(errors.length).toBeGreaterThan(0);
      // Still answering afterwards.
      expect((await overview()).queues).toHaveLength(2);
    },
  );
});

describe('who may use it', () => {
  it.each([
    ['operationsOverview', OVERVIEW, {}],
    ['orderStory', STORY, { orderId: 'any' }],
    ['redriveDeadLetters', REDRIVE, {}],
  ])('%s refuses a shopper and a guest, and starts nothing', async (field, query, variables) => {
    const shopper = await createShopper(backend, 'nosy');
    const tasks = async () =>
      (
        await backend.sqs.send(
          new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }),
        )
      ).Results ?? [];
    const before = await tasks();
    for (const caller of [shopper, 'guest'] as const) {
      const { data, errors } = await asCaller(caller, query, variables);
      expect(data?.[field] ?? null).toBeNull();
      expect(errors.map((e) => e.errorType)).toEqual(['Unauthorized']);
    }
    expect(await tasks()).toEqual(before);
  });
});
