import { describe, expect, it } from 'vitest';
import type { FunctionModel } from '../../assembly';
import { LambdaFaults } from './faults';
import { startLambda } from './index';

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
    const engine = startLambda({ functions: [capture], commonEnvironment: {}, faults });
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

  it('refuses a fault without a usable error name or count', () => {
    const faults = new LambdaFaults();
    expect(() => faults.add({ functionName: 'x', count: 0, errorName: 'E' })).toThrow();
    expect(() => faults.add({ functionName: 'x', count: 1, errorName: 'has space' })).toThrow();
  });
});
