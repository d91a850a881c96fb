import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  start as startStepFunctions,
  type StepFunctionsEngine,
  type StepFunctionsOptions,
} from '@/local/engines/stepfunctions';
import { LOCAL_CREDENTIALS, localEndpoint, ownEnginePort } from '../support/backend';

const PORT = ownEnginePort(7);
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}
class PaymentDeclinedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/** A small saga shaped like the order workflow: Lambda tasks, Retry, Catch, compensation, Fail. */
const saga = {
  StartAt: 'ValidateOrder',
  States: {
    ValidateOrder: {
      Type: 'Task',
      Resource: fn('validateOrder'),
      ResultPath: null,
      Next: 'AuthorizePayment',
    },
    AuthorizePayment: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('authorizePayment'), 'Payload.$': '$' },
      ResultSelector: { 'paymentIntentId.$': '$.Payload.paymentIntentId' },
      ResultPath: '$.payment',
      Retry: [
        { ErrorEquals: ['TransientError'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'FailOrder' }],
      Next: 'ShipOrder',
    },
    ShipOrder: {
      Type: 'Task',
      Resource: fn('createShipment'),
      TimeoutSeconds: 1,
      ResultPath: '$.shipment',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'FailOrder' }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    FailOrder: { Type: 'Task', Resource: fn('failOrder'), ResultPath: null, Next: 'OrderFailed' },
    OrderFailed: { Type: 'Fail', Error: 'OrderFailed', Cause: 'The order could not be completed' },
  },
};

type Behaviour = (payload: { orderId: string; [k: string]: unknown }) => Promise<unknown>;
const calls: Array<{ fn: string; orderId: string; at: number; payload: unknown }> = [];
const behaviours = new Map<string, Behaviour>(); // key: `${fn}:${orderId}`
const invoke: StepFunctionsOptions['invoke'] = async (functionName, payload) => {
  const p = payload as { orderId: string };
  calls.push({ fn: functionName, orderId: p.orderId, at: Date.now(), payload });
  const behaviour = behaviours.get(`${functionName}:${p.orderId}`);
  if (behaviour) return behaviour(p);
  if (functionName === 'authorizePayment') return { paymentIntentId: `pi_${p.orderId}` };
  if (functionName === 'createShipment') return { trackingNumber: `TRK-${p.orderId}` };
  return { ok: true };
};
const callsFor = (orderId: string, name?: string) =>
  calls.filter((c) => c.orderId === orderId && (!name || c.fn === name));

let dataDir: string;
let engine: StepFunctionsEngine;
let sfn: SFNClient;
let machineArn: string;

const options = (): StepFunctionsOptions => ({
  port: PORT,
  dataDir,
  credentials: LOCAL_CREDENTIALS,
  stateMachines: [{ name: 'OrderWorkflow', definition: saga }],
  invoke,
});

async function start(orderId: string, input: object = { orderId }) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machineArn,
      name: orderId,
      input: JSON.stringify(input),
    }),
  );
  return executionArn!;
}

async function finished(executionArn: string) {
  await engine.waitForExecution(executionArn);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sfn-engine-'));
  engine = await startStepFunctions(options());
  machineArn = engine.stateMachineArn('OrderWorkflow');
  sfn = new SFNClient({
    ...localEndpoint(engine.url),
  });
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Engine: local Step Functions', () => {
  it('runs the happy path to SUCCEEDED with the lambda:invoke result shaped by ResultSelector', async () => {
    const arn = await start('happy');
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:execution:OrderWorkflow:happy');
    const execution = await finished(arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({
      orderId: 'happy',
      payment: { paymentIntentId: 'pi_happy' },
      shipment: { trackingNumber: 'TRK-happy' },
    });
    expect(callsFor('happy').map((c) => c.fn)).toEqual([
      'validateOrder',
      'authorizePayment',
      'createShipment',
    ]);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    const types = history.events?.map((e) => e.type);
    expect(types?.[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');
    expect(types?.at(-1)).toBe('ExecutionSucceeded');
  });

  it('follows AWS naming rules: same name and input while running returns the same execution', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    behaviours.set('validateOrder:dup', async () => {
      await gate;
      return {};
    });
    const first = await start('dup');
    const again = await start('dup');
    expect(again).toBe(first);
    await expect(start('dup', { orderId: 'dup', other: true })).rejects.toThrow(
      ExecutionAlreadyExists,
    );
    release();
    expect((await finished(first)).status).toBe('SUCCEEDED');
    // Once closed, the same name is refused even with the same input.
    await expect(start('dup')).rejects.toThrow(ExecutionAlreadyExists);
    expect(callsFor('dup', 'validateOrder')).toHaveLength(1);
  });

  it('retries a TransientError with real backoff, then succeeds', async () => {
    let failures = 0;
    behaviours.set('authorizePayment:retry', async () => {
      if (failures++ < 2) throw new TransientError('Stripe is briefly unavailable');
      return { paymentIntentId: 'pi_retry' };
    });
    const execution = await finished(await start('retry'));
    expect(execution.status).toBe('SUCCEEDED');
    const attempts = callsFor('retry', 'authorizePayment').map((c) => c.at);
    expect(attempts).toHaveLength(3);
    // IntervalSeconds 1, BackoffRate 2: about 1 s, then about 2 s.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(950);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(1950);
  });

  it('catches a business error into $.error, compensates, and fails the execution', async () => {
    behaviours.set('authorizePayment:declined', async () => {
      throw new PaymentDeclinedError('Your card was declined.');
    });
    const execution = await finished(await start('declined'));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('OrderFailed');
    expect(callsFor('declined', 'authorizePayment')).toHaveLength(1); // not retried
    const failInput = callsFor('declined', 'failOrder')[0]?.payload as {
      error: { Error: string; Cause: string };
    };
    expect(failInput.error.Error).toBe('PaymentDeclinedError');
    expect(JSON.parse(failInput.error.Cause)).toMatchObject({
      errorType: 'PaymentDeclinedError',
      errorMessage: 'Your card was declined.',
    });
    expect(callsFor('declined', 'createShipment')).toHaveLength(0);
  });

  it('turns a task over its TimeoutSeconds into States.Timeout', async () => {
    behaviours.set('createShipment:slow', () => new Promise((r) => setTimeout(() => r({}), 2500)));
    const execution = await finished(await start('slow'));
    expect(execution.status).toBe('FAILED');
    const failInput = callsFor('slow', 'failOrder')[0]?.payload as { error: { Error: string } };
    expect(failInput.error.Error).toBe('States.Timeout');
  });

  it('stops an execution and lists executions by status', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    behaviours.set('validateOrder:stopped', async () => {
      await gate;
      return {};
    });
    const arn = await start('stopped');
    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions?.map((e) => e.name)).toContain('stopped');
    await sfn.send(new StopExecutionCommand({ executionArn: arn, cause: 'operator' }));
    release();
    const execution = await finished(arn);
    expect(execution.status).toBe('ABORTED');
    await new Promise((r) => setTimeout(r, 200));
    expect(callsFor('stopped', 'authorizePayment')).toHaveLength(0);
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'ABORTED' }),
    );
    expect(aborted.executions?.map((e) => e.name)).toEqual(['stopped']);
  });

  it('resumes an interrupted execution after a restart: completed steps never run again', async () => {
    let interrupted!: () => void;
    const reachedAuthorize = new Promise<void>((r) => (interrupted = r));
    behaviours.set('authorizePayment:crash', () => {
      interrupted();
      return new Promise(() => undefined); // hangs: the engine stops while this step runs
    });
    const arn = await start('crash');
    await reachedAuthorize;
    await engine.stop();
    behaviours.delete('authorizePayment:crash');

    engine = await startStepFunctions(options());
    expect(engine.resumed).toContain(arn);
    const execution = await finished(arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toMatchObject({
      payment: { paymentIntentId: 'pi_crash' },
    });
    expect(callsFor('crash', 'validateOrder')).toHaveLength(1);
    expect(callsFor('crash', 'authorizePayment')).toHaveLength(2); // the interrupted one, once more
    expect(callsFor('crash', 'createShipment')).toHaveLength(1);
  });

  it('replays a step whose result was saved just before a kill instead of running it again', async () => {
    let shipmentStarted!: () => void;
    const reachedShipment = new Promise<void>((r) => (shipmentStarted = r));
    behaviours.set('createShipment:replay', () => {
      shipmentStarted();
      return new Promise(() => undefined);
    });
    const arn = await start('replay');
    await reachedShipment;
    await engine.stop();
    // A kill -9 can land after the step returned and its result was saved, before the next state
    // was entered: write exactly that onto the saved execution.
    const dir = join(dataDir, 'executions');
    const file = readdirSync(dir)
      .map((f) => join(dir, f))
      .find(
        (f) =>
          f.endsWith('.json') &&
          readFileSync(f, 'utf8').includes(':execution:OrderWorkflow:replay"'),
      );
    const saved = JSON.parse(readFileSync(file!, 'utf8'));
    expect(saved.position.state).toBe('ShipOrder');
    saved.position.result = { value: { trackingNumber: 'TRK-once' } };
    writeFileSync(file!, JSON.stringify(saved));

    engine = await startStepFunctions(options());
    expect(engine.resumed).toContain(arn);
    const execution = await finished(arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!).shipment).toEqual({ trackingNumber: 'TRK-once' });
    expect(callsFor('replay', 'createShipment')).toHaveLength(1);
    expect(callsFor('replay', 'authorizePayment')).toHaveLength(1);
  });

  it('runs 100 executions at once', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `bulk-${i}`);
    const arns = await Promise.all(ids.map((id) => start(id)));
    const results = await Promise.all(arns.map((arn) => finished(arn)));
    expect(results.filter((r) => r.status === 'SUCCEEDED')).toHaveLength(100);
  });

  it('refuses a busy port with a clear message', async () => {
    await expect(
      startStepFunctions({ ...options(), dataDir: join(dataDir, 'other') }),
    ).rejects.toThrow(new RegExp(`port ${PORT} .* already in use`));
  });
});
