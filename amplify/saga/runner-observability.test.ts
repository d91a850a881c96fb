import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { anOrder } from '../domain/test-fixtures';
import { runFailure, runStep, type RunnerDeps } from './runner';
import { defineFailure, defineStep } from './step';
import { fakeOrders } from './test-fakes';

// Powertools' documented way to test: POWERTOOLS_DEV sends Logger and Metrics output through the
// global console (set before the module makes its Logger and Metrics).
vi.hoisted(() => {
  process.env['POWERTOOLS_DEV'] = 'true';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';
});

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

let printed: unknown[] = [];
beforeEach(() => {
  printed = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((line: unknown) => {
      printed.push(typeof line === 'string' && line.startsWith('{') ? JSON.parse(line) : line);
    });
  }
});
afterEach(() => vi.restoreAllMocks());

const emfDocuments = (): EmfDocument[] =>
  printed.filter(
    (entry): entry is EmfDocument => typeof entry === 'object' && entry !== null && '_aws' in entry,
  );
const logLines = (): Record<string, unknown>[] =>
  printed.filter(
    (entry): entry is Record<string, unknown> =>
      typeof entry === 'object' && entry !== null && !('_aws' in entry),
  );

/** Every metric emitted: its name, value, unit and the dimensions (name -> value) it was emitted with. */
const emitted = () =>
  emfDocuments().flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        value: doc[metric.Name],
        dimensions: Object.fromEntries(
          (directive.Dimensions[0] ?? []).map((name) => [name, doc[name]]),
        ),
      })),
    ),
  );

/** A clock that moves 40 ms each time it is read. */
const ticking = (deps: RunnerDeps): RunnerDeps => {
  let t = Date.parse('2030-01-02T03:05:00Z');
  return {
    ...deps,
    now: () => {
      const at = new Date(t);
      t += 40;
      return at;
    },
  };
};

const CONTEXT = {
  functionName: 'capturePayment',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:capturePayment',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/capturePayment',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 1000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

const capture = defineStep({
  state: 'CapturePayment',
  moves: 'PAYMENT_CAPTURED',
  needs: {},
  dependencies: () => ({}),
  async action() {},
});

describe('Function: the saga runner, observed (Powertools)', () => {
  it('emits StepDuration with its Step dimension, and the captured amount in cents, once the step moved the order', async () => {
    // Prepare
    const orders = fakeOrders(anOrder({ status: 'INVENTORY_RESERVED' }));
    // Act
    await runStep(capture, ticking(orders.deps))({ orderId: anOrder().id }, CONTEXT);
    // Assess
    const metrics = emitted();
    expect(metrics).toContainEqual({
      namespace: 'SagaSupply',
      name: 'StepDuration',
      unit: 'Milliseconds',
      value: expect.any(Number),
      dimensions: { service: 'saga-supply', Step: 'CapturePayment' },
    });
    expect(metrics).toContainEqual({
      namespace: 'SagaSupply',
      name: 'AmountCaptured',
      unit: 'None',
      value: 5470,
      dimensions: { service: 'saga-supply' },
    });
    expect(metrics.find((m) => m.name === 'StepDuration')?.value).toBeGreaterThan(0);
  });

  it('counts nothing twice: a step that finds its move made emits its duration only', async () => {
    const orders = fakeOrders(anOrder({ status: 'PAYMENT_CAPTURED' }));
    await runStep(capture, orders.deps)({ orderId: anOrder().id });
    expect(emitted().map((m) => m.name)).toEqual(['StepDuration']);
  });

  it('counts a completed order and its saga duration from placed to completed', async () => {
    const complete = defineStep({
      state: 'CompleteOrder',
      moves: 'COMPLETED',
      needs: {},
      dependencies: () => ({}),
      async action() {},
    });
    const orders = fakeOrders(anOrder({ status: 'SHIPPED' }));
    await runStep(complete, orders.deps)({ orderId: anOrder().id });
    const byName = new Map(emitted().map((m) => [m.name, m]));
    expect(byName.get('OrdersCompleted')).toMatchObject({ value: 1, unit: 'Count' });
    // Placed 03:04:05, completed 03:05:00 (the fake clock).
    expect(byName.get('SagaDuration')).toMatchObject({ value: 55_000, unit: 'Milliseconds' });
  });

  it('counts a failed order in total and by its failure code', async () => {
    const failOrder = defineFailure({
      state: 'FailOrder',
      needs: {},
      dependencies: () => ({}),
      async tell() {},
    });
    const orders = fakeOrders(anOrder({ status: 'PAYMENT_AUTHORIZED' }));
    await runFailure(
      failOrder,
      orders.deps,
    )({
      orderId: anOrder().id,
      error: { Error: 'PaymentDeclinedError', Cause: '{"errorMessage":"card declined"}' },
    });
    const failed = emitted().filter((m) => m.name === 'OrdersFailed');
    expect(failed).toHaveLength(2);
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 1, dimensions: { service: 'saga-supply' } }),
        expect.objectContaining({
          value: 1,
          dimensions: { service: 'saga-supply', FailureCode: 'PAYMENT_DECLINED' },
        }),
      ]),
    );
  });

  it('puts the order id, execution name and cold start on every log line, and logs a failure before rethrowing it', async () => {
    const orders = fakeOrders(anOrder({ status: 'INVENTORY_RESERVED' }));
    const failing = defineStep({
      ...capture,
      async action() {
        throw new Error('Stripe is down');
      },
    });
    const input = { orderId: anOrder().id, executionName: anOrder().id };
    await runStep(capture, orders.deps)(input, CONTEXT);
    await expect(
      runStep(failing, fakeOrders(anOrder({ status: 'INVENTORY_RESERVED' })).deps)(input, CONTEXT),
    ).rejects.toThrow('Stripe is down');
    const lines = logLines();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatchObject({
        orderId: anOrder().id,
        executionName: anOrder().id,
        function_name: 'capturePayment',
        cold_start: expect.any(Boolean),
      });
    }
    expect(lines.at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'invocation failed',
      error: { name: 'Error', message: 'Stripe is down' },
    });
  });
});
