import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  COMPENSATIONS as REGISTERED_COMPENSATIONS,
  FAILURE_STEP,
  FORWARD_STEPS,
} from '../../amplify/saga/registry';
import { functionNameOf, type SagaLambda } from '../../amplify/saga/step';
import { resourcesOfType, stackJson, stackTemplate, stateMachineDefinition } from './assembly';

// The step lists come from the registry; tests/infra/saga-registry.test.ts pins their order.
const taskOf = (step: SagaLambda) => [step.state, functionNameOf(step)] as const;
const FORWARD = FORWARD_STEPS.map(taskOf);
const COMPENSATIONS = [...REGISTERED_COMPENSATIONS, FAILURE_STEP].map(taskOf);

describe('Order workflow state machine', () => {
  const definition = stateMachineDefinition();
  const state = (name: string) => {
    const found = definition.States[name];
    if (!found) throw new Error(`state ${name} is missing`);
    return found;
  };

  it('is a Standard state machine with X-Ray tracing and full logging to a 30-day log group', () => {
    const template = stackTemplate('order-workflow');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('runs the steps in order and ends in a Succeed state', () => {
    expect(definition.StartAt).toBe('ValidateOrder');
    FORWARD.forEach(([name], index) => {
      const next = FORWARD[index + 1]?.[0];
      expect(state(name).Type).toBe('Task');
      expect(state(name).Next).toBe(next ?? 'OrderCompleted');
    });
    expect(state('OrderCompleted').Type).toBe('Succeed');
  });

  it.each([...FORWARD, ...COMPENSATIONS])(
    '%s invokes the %s function with only the order id, and drops its result',
    (name, fn) => {
      const task = state(name);
      expect(task.Resource).toMatch(/:states:::lambda:invoke$/);
      expect(String(task.Parameters?.FunctionName)).toMatch(new RegExp(`${fn}lambda[0-9A-F]*Arn`));
      expect(task.Parameters?.Payload).toMatchObject({ 'orderId.$': '$.orderId' });
      expect(task.ResultPath).toBeNull();
      expect(task.TimeoutSeconds).toBeGreaterThan(0);
    },
  );

  it.each([...FORWARD, ...COMPENSATIONS])(
    '%s passes its execution name, which the function logs on every line',
    (name) => {
      expect(state(name).Parameters?.Payload).toMatchObject({
        'executionName.$': '$$.Execution.Name',
      });
    },
  );

  it.each(FORWARD)('%s retries transient and Lambda service errors with backoff', (name) => {
    const retry = state(name).Retry ?? [];
    const transient = retry.find((r) => r.ErrorEquals.includes('TransientError'));
    expect(transient).toBeDefined();
    expect(transient?.ErrorEquals).toEqual(
      expect.arrayContaining([
        'Lambda.ServiceException',
        'Lambda.TooManyRequestsException',
        // A function cut off by its own timeout: the step is idempotent, so it runs again.
        'Sandbox.Timedout',
        'States.Timeout',
      ]),
    );
    expect(transient?.BackoffRate).toBeGreaterThan(1);
    expect(transient?.MaxAttempts).toBeGreaterThan(1);
    expect(transient?.IntervalSeconds).toBeGreaterThan(0);
    // Business errors are never retried.
    expect(retry.flatMap((r) => r.ErrorEquals)).not.toContain('PaymentDeclinedError');
    expect(retry.flatMap((r) => r.ErrorEquals)).not.toContain('States.ALL');
  });

  it.each(FORWARD)('%s sends any failure, with the error at $.error, to compensation', (name) => {
    // AuthorizePayment also catches BankConfirmationRequired first (bank-confirmation.test.ts).
    expect(state(name).Catch?.at(-1)).toEqual({
      ErrorEquals: ['States.ALL'],
      Next: 'ReleaseInventory',
      ResultPath: '$.error',
    });
  });

  it('compensates in order, retrying each step and keeping the original error', () => {
    const chain = [...COMPENSATIONS.map(([name]) => name), 'OrderFailed'];
    COMPENSATIONS.forEach(([name], index) => {
      const task = state(name);
      expect(task.Next).toBe(chain[index + 1]);
      expect(task.Parameters?.Payload).toMatchObject({ 'error.$': '$.error' });
      expect(task.Retry?.some((r) => r.ErrorEquals.includes('TransientError'))).toBe(true);
      for (const handler of task.Catch ?? []) {
        expect(handler.Next).toBe(chain[index + 1]);
        expect(handler.ResultPath).not.toBe('$.error');
      }
    });
    expect(state('OrderFailed')).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('may invoke only the eleven step functions', () => {
    const workflow = stackJson('order-workflow');
    const actions = resourcesOfType(workflow, 'AWS::IAM::Policy').flatMap(([, props]) =>
      (
        props.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
      ).Statement.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction')).map((s) =>
        JSON.stringify(s.Resource),
      ),
    );
    const invoked = [...FORWARD, ...COMPENSATIONS].map(([, fn]) => fn);
    const granted = actions.join(' ');
    for (const fn of invoked) expect(granted).toContain(`${fn}lambda`);
    for (const fn of ['placeOrder', 'receiptUrl', 'startOrderWorkflow']) {
      expect(granted).not.toContain(`${fn}lambda`);
    }
    expect(actions.every((resource) => /lambda[0-9A-F]{8}Arn/.test(resource))).toBe(true);
  });
});
