import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { scaleRetries } from './runner';

const retrier = {
  ErrorEquals: ['TransientError'],
  IntervalSeconds: 2,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

const definition = {
  StartAt: 'Authorize',
  States: {
    Authorize: { Type: 'Task', Resource: 'arn:fn', Retry: [retrier], Next: 'Both' },
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Inner',
          States: { Inner: { Type: 'Task', Resource: 'arn:fn', Retry: [retrier], End: true } },
        },
      ],
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

describe('scaleRetries', () => {
  it('shortens every wait, nested branches included, and keeps attempts, backoff and jitter', () => {
    const scaled = scaleRetries(definition, 0.1) as unknown as {
      States: {
        Authorize: { Retry: (typeof retrier)[] };
        Both: { Branches: { States: { Inner: { Retry: (typeof retrier)[] } } }[] };
      };
    };
    const expected = { ...retrier, IntervalSeconds: 0.2, MaxDelaySeconds: 3 };
    expect(scaled.States.Authorize.Retry).toEqual([expected]);
    expect(scaled.States.Both.Branches[0]?.States.Inner.Retry).toEqual([expected]);
  });

  it('leaves the definition it was given as it was', () => {
    const before = JSON.stringify(definition);
    scaleRetries(definition, 0.1);
    expect(JSON.stringify(definition)).toBe(before);
  });
});
