/**
 * The local SQS engine's dead-letter redrive (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask) through the real @aws-sdk/client-sqs: messages dead-lettered by receives
 * go back to the queue they came from, and every request SQS refuses is refused here too,
 * changing nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startSqs, type SqsEngine } from '@/local/engines/sqs';
import { LOCAL_CREDENTIALS, localEndpoint, ownEnginePort } from '../support/backend';

const PORT = ownEnginePort(9);
const ARN = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

let dataDir: string;
let engine: SqsEngine;
let sqs: SQSClient;

const urlOf = async (name: string) =>
  (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;

const visibleIn = async (name: string): Promise<number> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: await urlOf(name),
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};

/** Receives a message until the queue's maxReceiveCount (1 here) sends it to the DLQ. */
async function deadLetter(queue: string, body: string): Promise<void> {
  const QueueUrl = await urlOf(queue);
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
  const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  expect(first.Messages?.[0]?.Body).toBe(body);
  // The next receive finds it past maxReceiveCount and moves it to the DLQ instead.
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);
}

async function latestTask(source: string): Promise<ListMessageMoveTasksResultEntry> {
  const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN(source) }));
  const task = Results?.[0];
  if (!task) throw new Error(`no move task for ${source}`);
  return task;
}

async function untilFinished(source: string): Promise<ListMessageMoveTasksResultEntry> {
  for (;;) {
    const task = await latestTask(source);
    if (task.Status !== 'RUNNING') return task;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sqs-move-'));
  engine = await startSqs({
    port: PORT,
    dataDir,
    credentials: LOCAL_CREDENTIALS,
    queues: [
      { name: 'WorkDLQ' },
      {
        name: 'Work',
        visibilityTimeoutSeconds: 0,
        redrive: { deadLetterQueue: 'WorkDLQ', maxReceiveCount: 1 },
      },
      { name: 'SlowDLQ' },
      {
        name: 'Slow',
        visibilityTimeoutSeconds: 0,
        redrive: { deadLetterQueue: 'SlowDLQ', maxReceiveCount: 1 },
      },
      { name: 'Plain' },
      { name: 'Elsewhere' },
    ],
  });
  sqs = new SQSClient(localEndpoint(engine.url));
});

afterAll(async () => {
  sqs?.destroy();
  await engine?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('StartMessageMoveTask', () => {
  it('returns dead-lettered messages to the queue they came from, then lists the task COMPLETED', async () => {
    await deadLetter('Work', 'order-1');
    await deadLetter('Work', 'order-2');
    expect(engine.messageBodies('WorkDLQ').sort()).toEqual(['order-1', 'order-2']);
    const dead = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: await urlOf('WorkDLQ'),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'],
      }),
    );
    expect(dead.Messages?.map((m) => m.Attributes?.DeadLetterQueueSourceArn)).toEqual([
      ARN('Work'),
      ARN('Work'),
    ]);

    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: ARN('WorkDLQ') }),
    );
    expect(TaskHandle).toBeTruthy();
    const task = await untilFinished('WorkDLQ');

    expect(task).toMatchObject({
      Status: 'COMPLETED',
      SourceArn: ARN('WorkDLQ'),
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
    });
    expect(task.TaskHandle).toBeUndefined();
    expect(engine.messageBodies('WorkDLQ')).toEqual([]);
    expect(engine.messageBodies('Work').sort()).toEqual(['order-1', 'order-2']);
    // Moved messages start over: a consumer gets them with a fresh receive count.
    const back = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: await urlOf('Work'),
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(back.Messages?.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['1', '1']);
    // The consumer is done with them.
    await sqs.send(new PurgeQueueCommand({ QueueUrl: await urlOf('Work') }));
  });

  it('moves to a DestinationArn when one is given', async () => {
    await deadLetter('Work', 'to-elsewhere');
    const before = await visibleIn('Elsewhere');
    await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: ARN('WorkDLQ'),
        DestinationArn: ARN('Elsewhere'),
      }),
    );
    expect(await untilFinished('WorkDLQ')).toMatchObject({
      Status: 'COMPLETED',
      DestinationArn: ARN('Elsewhere'),
      ApproximateNumberOfMessagesMoved: 1,
    });
    expect(await visibleIn('Elsewhere')).toBe(before + 1);
  });

  it('refuses a second task on a source while one runs, and cancels the running one', async () => {
    for (const body of ['slow-1', 'slow-2', 'slow-3']) await deadLetter('Slow', body);
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: ARN('SlowDLQ'),
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    await expect(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ARN('SlowDLQ') })),
    ).rejects.toMatchObject({ name: 'UnsupportedOperation' });
    expect((await latestTask('SlowDLQ')).TaskHandle).toBe(TaskHandle);

    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    const task = await latestTask('SlowDLQ');
    expect(task.Status).toBe('CANCELLED');
    expect(task.ApproximateNumberOfMessagesMoved).toBe(cancelled.ApproximateNumberOfMessagesMoved);
    // Cancelling does not put back what was moved; what was not moved stays in the DLQ.
    expect(engine.messageBodies('SlowDLQ').length + engine.messageBodies('Slow').length).toBe(3);
    expect(engine.messageBodies('SlowDLQ').length).toBe(
      3 - (cancelled.ApproximateNumberOfMessagesMoved ?? 0),
    );
    await expect(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).rejects.toMatchObject({
      name: 'UnsupportedOperation',
    });
  });

  it.each([
    ['an unknown queue ARN', { SourceArn: ARN('NoSuchQueue') }, 'ResourceNotFoundException'],
    ['a queue that is no DLQ', { SourceArn: ARN('Plain') }, 'InvalidParameterValue'],
    ['something that is not an ARN', { SourceArn: 'WorkDLQ' }, 'InvalidParameterValue'],
    [
      'an ARN of another account',
      { SourceArn: 'arn:aws:sqs:us-east-1:111111111111:WorkDLQ' },
      'ResourceNotFoundException',
    ],
    [
      'an unknown destination',
      { SourceArn: ARN('WorkDLQ'), DestinationArn: ARN('Gone') },
      'ResourceNotFoundException',
    ],
    [
      'the source as destination',
      { SourceArn: ARN('WorkDLQ'), DestinationArn: ARN('WorkDLQ') },
      'InvalidParameterValue',
    ],
    [
      'a rate over 500',
      { SourceArn: ARN('WorkDLQ'), MaxNumberOfMessagesPerSecond: 501 },
      'InvalidParameterValue',
    ],
  ])('refuses %s and moves nothing', async (_what, input, errorName) => {
    await deadLetter('Work', `stays-${errorName}-${Math.random()}`);
    const before = { dlq: engine.messageBodies('WorkDLQ'), work: engine.messageBodies('Work') };
    const tasksBefore = (
      await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN('WorkDLQ'), MaxResults: 10 }))
    ).Results;

    await expect(sqs.send(new StartMessageMoveTaskCommand(input))).rejects.toMatchObject({
      name: errorName,
    });

    expect(engine.messageBodies('WorkDLQ')).toEqual(before.dlq);
    expect(engine.messageBodies('Work')).toEqual(before.work);
    const tasksAfter = (
      await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN('WorkDLQ'), MaxResults: 10 }))
    ).Results;
    expect(tasksAfter).toEqual(tasksBefore);
  });
});

describe('ListMessageMoveTasks and CancelMessageMoveTask refuse bad input', () => {
  it('an unknown source', async () => {
    await expect(
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN('NoSuchQueue') })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('MaxResults outside 1-10', async () => {
    await expect(
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN('WorkDLQ'), MaxResults: 11 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('a task handle that names no task', async () => {
    await expect(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm90LWEtdGFzaw==' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
