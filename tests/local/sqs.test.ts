import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startSqs, type SqsEngine, type SqsLambdaEvent } from '@/local/engines/sqs';
import { LOCAL_CREDENTIALS, localEndpoint, ownEnginePort } from '../support/backend';

const PORT = ownEnginePort(0);
const queues = [
  { name: 'OrdersDLQ' },
  {
    name: 'OrdersQueue',
    visibilityTimeoutSeconds: 1,
    redrive: { deadLetterQueue: 'OrdersDLQ', maxReceiveCount: 3 },
  },
];

let dataDir: string;
let engine: SqsEngine;
let sqs: SQSClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function depthOf(queueUrl: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sqs-engine-'));
  engine = await startSqs({ port: PORT, dataDir, queues, credentials: LOCAL_CREDENTIALS });
  sqs = new SQSClient({
    ...localEndpoint(engine.url),
  });
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Engine: local SQS', () => {
  it('serves the declared queues with their redrive policy', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'OrdersQueue' }));
    expect(QueueUrl).toBe(`${engine.url}/000000000000/OrdersQueue`);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('1');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:OrdersDLQ',
      maxReceiveCount: 3,
    });
  });

  it('names a missing queue with the SDK error class', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'NoSuchQueue' }))).rejects.toThrow(
      QueueDoesNotExist,
    );
  });

  it('hides a received message for its visibility timeout, then delivers it again', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'visibility' }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
      }),
    );
    const first = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        VisibilityTimeout: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        MessageAttributeNames: ['All'],
      }),
    );
    expect(first.Messages?.[0]?.Body).toBe('{"orderId":"o-1"}');
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(first.Messages?.[0]?.MessageAttributes?.kind?.StringValue).toBe('order');
    expect(await depthOf(QueueUrl!)).toEqual({ visible: 0, inFlight: 1 });

    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(hidden.Messages ?? []).toHaveLength(0);

    const again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 3,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');

    // The first receipt handle is outdated: deleting with it leaves the message (SQS semantics).
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle! }),
    );
    expect(await depthOf(QueueUrl!)).toEqual({ visible: 0, inFlight: 1 });
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle! }),
    );
    expect(await depthOf(QueueUrl!)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('makes a message visible at once when its visibility is changed to 0', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'change-visibility',
        Attributes: { VisibilityTimeout: '60' },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: Messages![0]!.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.[0]?.MessageId).toBe(Messages![0]!.MessageId);
  });

  it('long polling returns as soon as a message arrives', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'long-poll' }));
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    await sleep(300);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    const { Messages } = await waiting;
    expect(Messages?.[0]?.Body).toBe('late');
  });

  it('sends and deletes in batches and purges', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'batches' }));
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [1, 2, 3].map((n) => ({ Id: `m${n}`, MessageBody: `body ${n}` })),
      }),
    );
    expect(sent.Successful).toHaveLength(3);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages).toHaveLength(3);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          ...Messages!
            .slice(0, 2)
            .map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
          { Id: 'forged', ReceiptHandle: 'not-a-receipt-handle' },
        ],
      }),
    );
    // One bad entry fails alone; the others are still deleted.
    expect(deleted.Successful?.map((e) => e.Id)).toEqual(['d0', 'd1']);
    expect(deleted.Failed).toEqual([
      expect.objectContaining({ Id: 'forged', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
    ]);
    expect(await depthOf(QueueUrl!)).toEqual({ visible: 0, inFlight: 1 });
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await depthOf(QueueUrl!)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('moves a message to the DLQ after 3 receives', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'redrive-source',
        Attributes: {
          VisibilityTimeout: '0',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:OrdersDLQ',
            maxReceiveCount: '3',
          }),
        },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison-direct' }));
    for (let receive = 1; receive <= 3; receive += 1) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      expect(Messages?.[0]?.Body).toBe('poison-direct');
    }
    const fourth = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(fourth.Messages ?? []).toHaveLength(0);
    expect(engine.messageBodies('OrdersDLQ')).toContain('poison-direct');
  });

  it('event source mapping deletes successes and dead-letters a poison message after 3 receives', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'OrdersQueue' }));
    const delivered: SqsLambdaEvent['Records'] = [];
    const mapping = engine.startEventSourceMapping({
      queue: 'OrdersQueue',
      batchSize: 10,
      invoke: async (event) => {
        delivered.push(...event.Records);
        return {
          batchItemFailures: event.Records.filter((r) => r.body.includes('poison')).map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
    });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"orderId":"good"}' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"orderId":"poison"}' }));
      const deadline = Date.now() + 15_000;
      while (!engine.messageBodies('OrdersDLQ').includes('{"orderId":"poison"}')) {
        if (Date.now() > deadline) throw new Error('poison message never reached the DLQ');
        await sleep(100);
      }
      const poisonDeliveries = delivered.filter((r) => r.body.includes('poison'));
      expect(poisonDeliveries.map((r) => r.attributes.ApproximateReceiveCount)).toEqual([
        '1',
        '2',
        '3',
      ]);
      expect(delivered.filter((r) => r.body.includes('good'))).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:OrdersQueue',
        awsRegion: 'us-east-1',
      });
      expect(engine.depth('OrdersQueue')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    } finally {
      await mapping.stop();
    }
  });

  it('keeps messages across a restart', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'durable' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'survives' }));
    await engine.stop();
    engine = await startSqs({ port: PORT, dataDir, queues, credentials: LOCAL_CREDENTIALS });
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.[0]?.Body).toBe('survives');
  });

  it('refuses a busy port with a clear message', async () => {
    await expect(
      startSqs({ port: PORT, dataDir: join(dataDir, 'other'), credentials: LOCAL_CREDENTIALS }),
    ).rejects.toThrow(new RegExp(`port ${PORT} .* already in use`));
  });
});
