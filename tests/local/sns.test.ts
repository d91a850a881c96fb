import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startSqs } from '@/local/engines/sqs';
import {
  start as startSns,
  type SnsEngine,
  type SnsLambdaEvent,
  type SnsOptions,
} from '@/local/engines/sns';
import { LOCAL_CREDENTIALS, localEndpoint, ownEnginePort } from '../support/backend';
import { signedFetch } from '../support/signed-fetch';

const PORT = ownEnginePort(6);
const mails: Array<{ to: string; subject: string; text: string }> = [];
const invocations: Array<{ functionName: string; event: SnsLambdaEvent }> = [];
let dataDir: string;
let engine: SnsEngine;
let sns: SNSClient;

const options = (): SnsOptions => ({
  port: PORT,
  dataDir,
  credentials: LOCAL_CREDENTIALS,
  testHooks: true,
  topics: [
    { name: 'OrderEvents', subscriptions: [{ protocol: 'email', endpoint: 'ops@shop.test' }] },
    {
      name: 'OrderErrors',
      subscriptions: [
        { protocol: 'email', endpoint: 'oncall@shop.test' },
        {
          protocol: 'lambda',
          endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:alertOperator',
        },
      ],
    },
  ],
  sendMail: async (mail) => {
    mails.push(mail);
  },
  invoke: async (functionName, event) => {
    invocations.push({ functionName, event });
    return null;
  },
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sns-engine-'));
  engine = await startSns(options());
  sns = new SNSClient({
    ...localEndpoint(engine.url),
  });
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Engine: local SNS', () => {
  it('lists the declared topics and their subscriptions', async () => {
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toEqual([
      'arn:aws:sns:us-east-1:000000000000:OrderEvents',
      'arn:aws:sns:us-east-1:000000000000:OrderErrors',
    ]);
    const { Subscriptions } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: engine.topicArn('OrderErrors') }),
    );
    expect(Subscriptions?.map((s) => s.Protocol).sort()).toEqual(['email', 'lambda']);
  });

  it('fans a message out to the mailbox and to the subscribed function', async () => {
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: engine.topicArn('OrderErrors'),
        Subject: 'Order o-9 failed',
        Message: '{"orderId":"o-9","reason":"PAYMENT_FAILED"}',
        MessageAttributes: { orderId: { DataType: 'String', StringValue: 'o-9' } },
      }),
    );
    await engine.idle();
    expect(mails).toContainEqual(
      expect.objectContaining({ to: 'oncall@shop.test', subject: 'Order o-9 failed' }),
    );
    expect(mails.find((m) => m.to === 'oncall@shop.test')?.text).toContain('"orderId":"o-9"');
    expect(mails.some((m) => m.to === 'ops@shop.test')).toBe(false);
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.functionName).toBe('alertOperator');
    expect(invocations[0]?.event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId,
        TopicArn: engine.topicArn('OrderErrors'),
        Subject: 'Order o-9 failed',
        MessageAttributes: { orderId: { Type: 'String', Value: 'o-9' } },
      },
    });
    const log = (await (
      await signedFetch(`${engine.url}/_local/messages`, { service: 'sns' })
    ).json()) as Array<{
      messageId: string;
      deliveries: Array<{ status: string }>;
    }>;
    const logged = log.find((m) => m.messageId === MessageId);
    expect(logged?.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('creates topics and subscriptions through the API', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'CriticalAlerts' }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'cto@shop.test' }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'disk full' }));
    await engine.idle();
    expect(mails).toContainEqual(
      expect.objectContaining({ to: 'cto@shop.test', subject: 'AWS Notification Message' }),
    );
  });

  it('refuses a publish to an unknown topic with NotFound', async () => {
    await expect(
      sns.send(new PublishCommand({ TopicArn: engine.topicArn('Nope'), Message: 'x' })),
    ).rejects.toThrow(NotFoundException);
  });

  it('delivers by SMTP to the mailbox and into a subscribed SQS queue', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        stream.on('end', () => {
          received.push(data);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(ownEnginePort(25), '127.0.0.1', resolve));
    const sqsEngine = await startSqs({
      port: ownEnginePort(5),
      dataDir: join(dataDir, 'sqs'),
      queues: [{ name: 'Audit' }],
      credentials: LOCAL_CREDENTIALS,
    });
    const wired = await startSns({
      port: ownEnginePort(16),
      dataDir: join(dataDir, 'wired'),
      credentials: LOCAL_CREDENTIALS,
      topics: [
        {
          name: 'OrderEvents',
          subscriptions: [
            { protocol: 'email', endpoint: 'ops@shop.test' },
            { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:000000000000:Audit' },
          ],
        },
      ],
      smtp: { host: '127.0.0.1', port: ownEnginePort(25) },
      sqsEndpoint: sqsEngine.url,
    });
    try {
      const client = new SNSClient({
        ...localEndpoint(wired.url),
      });
      await client.send(
        new PublishCommand({
          TopicArn: wired.topicArn('OrderEvents'),
          Subject: 'Order o-7 shipped',
          Message: 'tracking TRK-7',
        }),
      );
      await wired.idle();
      expect(received.join('\n')).toContain('Subject: Order o-7 shipped');
      expect(received.join('\n')).toContain('tracking TRK-7');
      const sqs = new SQSClient({
        ...localEndpoint(sqsEngine.url),
      });
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: sqsEngine.queueUrl('Audit') }),
      );
      expect(JSON.parse(Messages?.[0]?.Body ?? '{}')).toMatchObject({
        Type: 'Notification',
        TopicArn: wired.topicArn('OrderEvents'),
        Subject: 'Order o-7 shipped',
        Message: 'tracking TRK-7',
      });
    } finally {
      await wired.stop();
      await sqsEngine.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('keeps the message log and subscriptions across a restart', async () => {
    const before = engine.messages().length;
    await engine.stop();
    engine = await startSns(options());
    expect(engine.messages()).toHaveLength(before);
    const { Subscriptions } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: engine.topicArn('CriticalAlerts') }),
    );
    expect(Subscriptions?.[0]?.Endpoint).toBe('cto@shop.test');
  });
});
