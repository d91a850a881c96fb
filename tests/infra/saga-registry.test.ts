/** The synthesized saga is the step registry: every step, compensation and its wiring come from it. */
import { describe, expect, it } from 'vitest';
import { COMPENSATIONS, FAILURE_STEP, FORWARD_STEPS } from '../../amplify/saga/registry';
import { functionNameOf, type SagaLambda } from '../../amplify/saga/step';
import { resourcesOfType, stackJson, stateMachineDefinition } from './assembly';

const definition = stateMachineDefinition();
const state = (lambda: SagaLambda) => {
  const found = definition.States[lambda.state];
  if (!found) throw new Error(`state ${lambda.state} is missing from the synthesized ASL`);
  return found;
};
const retriesTransient = (lambda: SagaLambda) =>
  (state(lambda).Retry ?? []).some((r) => r.ErrorEquals.includes('TransientError'));
const lambdaFunctions = resourcesOfType(stackJson('data'), 'AWS::Lambda::Function').map(
  ([id]) => id,
);

describe('Order saga from its step registry', () => {
  const compensationChain = [...COMPENSATIONS, FAILURE_STEP];

  it.each(FORWARD_STEPS.map((step) => [step.state, step] as const))(
    'forward step %s is a task with its retry, and its catch leads into compensation',
    (_name, step) => {
      expect(state(step).Type).toBe('Task');
      expect(retriesTransient(step)).toBe(true);
      // A step that may ask for a wait catches that error first (bank-confirmation.test.ts).
      expect(state(step).Catch?.at(-1)).toEqual(
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: compensationChain[0]?.state }),
      );
    },
  );

  it.each(compensationChain.map((step) => [step.state, step] as const))(
    '%s is a task with its retry, and goes on to the next compensation however it ends',
    (_name, step) => {
      const index = compensationChain.indexOf(step);
      const next = compensationChain[index + 1]?.state ?? 'OrderFailed';
      expect(state(step).Type).toBe('Task');
      expect(retriesTransient(step)).toBe(true);
      expect(state(step).Next).toBe(next);
      expect(state(step).Catch?.map((c) => c.Next)).toEqual([next]);
    },
  );

  it.each([...FORWARD_STEPS, ...compensationChain].map((step) => [step.state, step] as const))(
    '%s invokes its own function, defined in the data stack',
    (_name, step) => {
      const name = functionNameOf(step);
      expect(lambdaFunctions.some((id) => id.startsWith(`${name}lambda`))).toBe(true);
      expect(String(state(step).Parameters?.FunctionName)).toMatch(
        new RegExp(`\\$\\{[^}]*${name}lambda[0-9A-F]*Arn`),
      );
    },
  );

  it('runs the forward steps in registry order and compensates in reverse forward order', () => {
    expect(definition.StartAt).toBe(FORWARD_STEPS[0]?.state);
    FORWARD_STEPS.forEach((step, index) => {
      expect(state(step).Next).toBe(FORWARD_STEPS[index + 1]?.state ?? 'OrderCompleted');
    });
    const undone = FORWARD_STEPS.filter((step) => step.compensation)
      .map((step) => step.compensation?.state)
      .reverse();
    expect(COMPENSATIONS.map((c) => c.state)).toEqual(undone);
    // Walk the chain as Step Functions would after a failure.
    const walked: string[] = [];
    for (let at = state(FORWARD_STEPS[0]!).Catch?.[0]?.Next; at && at !== 'OrderFailed';) {
      walked.push(at);
      at = definition.States[at]?.Next;
    }
    expect(walked).toEqual([...undone, FAILURE_STEP.state]);
  });
});
