import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsIn } from './test-functions';
import { start as startLambda, type LambdaEngine } from './index';

let dir: string;
let engine: LambdaEngine;

const fn = functionsIn(() => dir);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lambda-engine-'));
  const echoEnv = `let coldStarts = 0; coldStarts++;
    export const handler = async (event, context) => {
      await new Promise((r) => setTimeout(r, event.delayMs ?? 0));
      return { shared: process.env.SHARED_NAME, table: process.env.TABLE_NAME, region: process.env.AWS_REGION,
               coldStarts, name: context.functionName, remaining: context.getRemainingTimeInMillis(), at: new Date(0) };
    };`;
  engine = await startLambda({
    functions: [
      fn('readsProducts', echoEnv, { SHARED_NAME: 'products', TABLE_NAME: 'Product-x' }),
      fn('readsOrders', echoEnv, { SHARED_NAME: 'orders' }),
      fn(
        'failsValidation',
        `class OrderValidationError extends Error { constructor(m) { super(m); this.name = 'OrderValidationError'; } }
         export const handler = async () => { throw new OrderValidationError('INVALID_ORDER: lines'); };`,
        {},
      ),
      fn(
        'hangs',
        `let calls = 0; export const handler = async (event) => { calls++; if (event.hang) await new Promise(() => {}); return { calls }; };`,
        {},
        1,
      ),
    ],
    commonEnvironment: { AWS_REGION: 'us-east-1', SHARED_NAME: 'common' },
    log: () => undefined,
  });
});

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Local Lambda engine', () => {
  it('gives each function its own environment, even when they run at the same time', async () => {
    const [products, orders] = (await Promise.all([
      engine.invoke('readsProducts', { delayMs: 50 }),
      engine.invoke('readsOrders-LOCAL', { delayMs: 50 }),
    ])) as Record<string, unknown>[];
    expect(products).toMatchObject({ shared: 'products', table: 'Product-x', region: 'us-east-1' });
    expect(orders).toMatchObject({ shared: 'orders', region: 'us-east-1' });
    expect(orders?.['table']).toBeUndefined();
    expect(process.env['SHARED_NAME']).toBeUndefined();
  });

  it('keeps a sandbox warm between invocations and passes a Lambda context', async () => {
    await engine.invoke('readsProducts', {});
    const result = (await engine.invoke(
      'arn:aws:lambda:us-east-1:000000000000:function:readsProducts-LOCAL',
      {},
    )) as Record<string, unknown>;
    expect(result['coldStarts']).toBe(1);
    expect(result['name']).toBe('readsProducts-LOCAL');
    expect(result['remaining']).toBeGreaterThan(4000);
    // Results cross the boundary as JSON, as with Lambda.
    expect(result['at']).toBe('1970-01-01T00:00:00.000Z');
  });

  it("rejects with the handler's error name, which Step Functions' Retry and Catch match", async () => {
    await expect(engine.invoke('failsValidation', {})).rejects.toMatchObject({
      name: 'OrderValidationError',
      message: 'INVALID_ORDER: lines',
    });
  });

  it('enforces the timeout and gives later invocations a fresh sandbox', async () => {
    await expect(engine.invoke('hangs', { hang: true })).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    await expect(engine.invoke('hangs', {})).resolves.toEqual({ calls: 1 });
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    await expect(engine.invoke('nope', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('shuts a sandbox down after it sat idle, and starts a fresh one on the next call', async () => {
    const source = 'let calls = 0; export const handler = async () => ({ calls: ++calls });';
    const idle = await startLambda({
      functions: [fn('rarelyCalled', source, {})],
      commonEnvironment: {},
      log: () => undefined,
      idleMs: 300,
    });
    try {
      // Module state survives between calls in one sandbox, as in a warm Lambda...
      const first = (await idle.invoke('rarelyCalled', {})) as { calls: number };
      const warm = (await idle.invoke('rarelyCalled', {})) as { calls: number };
      expect([first.calls, warm.calls]).toEqual([1, 2]);
      // ...and is gone once the sandbox was reclaimed.
      await new Promise((r) => setTimeout(r, 1_000));
      const cold = (await idle.invoke('rarelyCalled', {})) as { calls: number };
      expect(cold.calls).toBe(1);
    } finally {
      await idle.stop();
    }
  });
});
