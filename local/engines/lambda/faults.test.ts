import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FunctionModel } from '../../assembly';
import { LambdaFaults } from './faults';
import { start as startLambda } from './index';

const capture: FunctionModel = {
  logicalId: 'capturePaymentlambda',
  name: 'capturePayment',
  functionName: 'capturePayment-LOCAL',
  arn: 'arn:aws:lambda:us-east-1:000000000000:function:capturePayment-LOCAL',
  handlerFile: '/nonexistent/index.mjs',
  handlerExport: 'handler',
  timeoutSeconds: 5,
  memoryMB: 128,
  runtime: 'nodejs22.x',
  environment: {},
};

describe('Lambda fault hook', () => {
  it('fails exactly the next `count` invocations of that function, named as asked, before the handler', async () => {
    const faults = new LambdaFaults();
    const engine = await startLambda({ functions: [capture], commonEnvironment: {}, faults });
    faults.add({ functionName: capture.arn, count: 2, errorName: 'InjectedFault' });
    for (let i = 0; i < 2; i += 1) {
      await expect(engine.invoke('capturePayment', {})).rejects.toMatchObject({
        name: 'InjectedFault',
      });
    }
    expect(faults.list()).toEqual([]);
    // The third invocation reaches the (missing) handler: a different error, from the sandbox.
    await expect(engine.invoke('capturePayment', {})).rejects.not.toMatchObject({
      name: 'InjectedFault',
    });
    await engine.stop();
  });

  it('refuses a fault without a usable error name, count or moment', () => {
    const faults = new LambdaFaults();
    expect(() => faults.add({ functionName: 'x', count: 0, errorName: 'E' })).toThrow();
    expect(() => faults.add({ functionName: 'x', count: 1, errorName: 'has space' })).toThrow();
    expect(() =>
      faults.add({ functionName: 'x', count: 1, errorName: 'E', when: 'during' as 'after' }),
    ).toThrow();
    expect(() => faults.add({ functionName: 'x', count: 1 })).toThrow(/errorName, a delayMs/);
    expect(() => faults.add({ functionName: 'x', count: 1, delayMs: 0 })).toThrow();
    expect(() => faults.add({ functionName: 'x', count: 1, delayMs: 60_001 })).toThrow();
    expect(faults.list()).toEqual([]);
  });

  it('arms a fault for before the handler unless told otherwise', () => {
    const faults = new LambdaFaults();
    faults.add({ functionName: 'x', count: 1, errorName: 'E' });
    expect(faults.list()).toEqual([
      { functionName: 'x', count: 1, errorName: 'E', when: 'before' },
    ]);
  });
});

describe('Lambda fault hook, with a handler that runs', () => {
  // A handler whose side effect (a line appended to a file) shows whether it ran.
  const withHandler = async (
    source: string,
    test: (
      engine: Awaited<ReturnType<typeof startLambda>>,
      faults: LambdaFaults,
      runs: () => number,
    ) => Promise<void>,
  ) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-faults-'));
    const handlerFile = path.join(dir, 'index.mjs');
    const sideEffects = path.join(dir, 'side-effects.log');
    writeFileSync(sideEffects, '');
    writeFileSync(handlerFile, source.replace('SIDE_EFFECTS', JSON.stringify(sideEffects)));
    const faults = new LambdaFaults();
    const engine = await startLambda({
      functions: [{ ...capture, handlerFile }],
      commonEnvironment: {},
      faults,
      log: () => undefined,
    });
    try {
      await test(engine, faults, () => readFileSync(sideEffects, 'utf8').split('\n').length - 1);
    } finally {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('lets the handler do its side effect, then fails the invocation, `count` times', async () => {
    await withHandler(
      `import { appendFileSync } from 'node:fs';
       export const handler = async () => { appendFileSync(SIDE_EFFECTS, 'charged\\n'); return { ok: true }; };`,
      async (engine, faults, runs) => {
        faults.add({
          functionName: 'capturePayment',
          count: 2,
          errorName: 'TransientError',
          when: 'after',
        });
        for (let i = 1; i <= 2; i += 1) {
          await expect(engine.invoke('capturePayment', {})).rejects.toMatchObject({
            name: 'TransientError',
            message: expect.stringMatching(/after its handler ran/),
          });
          expect(runs()).toBe(i);
        }
        expect(faults.list()).toEqual([]);
        await expect(engine.invoke('capturePayment', {})).resolves.toEqual({ ok: true });
        expect(runs()).toBe(3);
      },
    );
  });

  it("keeps a handler's own failure, and uses the fault up", async () => {
    await withHandler(
      `import { appendFileSync } from 'node:fs';
       class PaymentFailedError extends Error { constructor(m) { super(m); this.name = 'PaymentFailedError'; } }
       export const handler = async () => { appendFileSync(SIDE_EFFECTS, 'tried\\n'); throw new PaymentFailedError('no'); };`,
      async (engine, faults, runs) => {
        faults.add({
          functionName: 'capturePayment',
          count: 1,
          errorName: 'TransientError',
          when: 'after',
        });
        await expect(engine.invoke('capturePayment', {})).rejects.toMatchObject({
          name: 'PaymentFailedError',
        });
        expect(runs()).toBe(1);
        expect(faults.list()).toEqual([]);
      },
    );
  });

  it('a fault before the handler leaves no side effect', async () => {
    await withHandler(
      `import { appendFileSync } from 'node:fs';
       export const handler = async () => { appendFileSync(SIDE_EFFECTS, 'charged\\n'); return { ok: true }; };`,
      async (engine, faults, runs) => {
        faults.add({ functionName: 'capturePayment', count: 1, errorName: 'TransientError' });
        await expect(engine.invoke('capturePayment', {})).rejects.toMatchObject({
          name: 'TransientError',
          message: expect.stringMatching(/before its handler ran/),
        });
        expect(runs()).toBe(0);
      },
    );
  });

  it('holds the next invocation for delayMs, then runs the handler and returns its result', async () => {
    await withHandler(
      `import { appendFileSync } from 'node:fs';
       export const handler = async () => { appendFileSync(SIDE_EFFECTS, 'shipped\\n'); return { ok: true }; };`,
      async (engine, faults, runs) => {
        faults.add({ functionName: 'capturePayment', count: 1, delayMs: 300 });
        const started = Date.now();
        const slow = engine.invoke('capturePayment', {});
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(runs()).toBe(0);
        await expect(slow).resolves.toEqual({ ok: true });
        expect(Date.now() - started).toBeGreaterThanOrEqual(300);
        expect(runs()).toBe(1);
        expect(faults.list()).toEqual([]);
      },
    );
  });
});
