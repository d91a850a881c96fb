import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  start as startStepFunctions,
  type StepFunctionsEngine,
} from '@/local/engines/stepfunctions';
import { LOCAL_CREDENTIALS, localEndpoint, ownEnginePort } from '../support/backend';

const PORT = ownEnginePort(21);
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** The shape of the order saga's bank wait: a Lambda given $$.Task.Token, a timeout, and Catches. */
const machine = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: fn('keepToken'),
        Payload: { 'orderId.$': '$.orderId', 'taskToken.$': '$$.Task.Token' },
      },
      ResultPath: '$.answer',
      TimeoutSeconds: 2,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'RanOut' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Refused' },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    RanOut: { Type: 'Fail', Error: 'RanOut' },
    Refused: { Type: 'Fail', Error: 'Refused' },
  },
};

const tokens = new Map<string, string>();
let dataDir: string;
let engine: StepFunctionsEngine;
let sfn: SFNClient;

const tokenFor = async (orderId: string): Promise<string> => {
  for (let i = 0; i < 200; i += 1) {
    const token = tokens.get(orderId);
    if (token) return token;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no token was handed to the task for ${orderId}`);
};

const start = async (orderId: string) => {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: engine.stateMachineArn('Waits'),
      name: orderId,
      input: JSON.stringify({ orderId }),
    }),
  );
  return executionArn!;
};

const finished = async (executionArn: string) => {
  await engine.waitForExecution(executionArn);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sfn-tokens-'));
  engine = await startStepFunctions({
    port: PORT,
    dataDir,
    credentials: LOCAL_CREDENTIALS,
    stateMachines: [{ name: 'Waits', definition: machine }],
    invoke: async (_name, payload) => {
      const { orderId, taskToken } = payload as { orderId: string; taskToken: string };
      tokens.set(orderId, taskToken);
      return null;
    },
  });
  sfn = new SFNClient(localEndpoint(engine.url));
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Engine: local Step Functions, .waitForTaskToken', () => {
  it('hands the task a token of its own and resumes with SendTaskSuccess output', async () => {
    const arn = await start('answered');
    const token = await tokenFor('answered');
    expect(token).not.toContain('placeholder');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ bank: 'yes' }) }),
    );
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ orderId: 'answered', answer: { bank: 'yes' } });
  });

  it('fails the task with SendTaskFailure, its error name what Catch matches', async () => {
    const arn = await start('refused');
    const token = await tokenFor('refused');
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'BankSaidNo', cause: 'declined' }),
    );
    const done = await finished(arn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Refused');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(JSON.stringify(history.events)).toContain('BankSaidNo');
  });

  it('times the wait out (no heartbeat) into the States.Timeout Catch; the token is then refused', async () => {
    const arn = await start('walked-away');
    const token = await tokenFor('walked-away');
    const done = await finished(arn);
    expect(done.error).toBe('RanOut');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('answers a token only once, and refuses tokens it never issued or bad output', async () => {
    const arn = await start('twice');
    const token = await tokenFor('twice');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })),
    ).rejects.toMatchObject({ name: 'InvalidOutput' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await finished(arn);
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Late' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'made-up', output: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(
      sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'x'.repeat(5000) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
