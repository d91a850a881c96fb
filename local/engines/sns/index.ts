import { randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { AwsError } from '../kit/aws-json';
import { awsQueryHandler, xml } from '../kit/aws-query';
import type { Engine } from '../kit/engine';
import { close, serveHttp } from '../kit/http';
import { Journal } from '../kit/journal';
import type { LocalCredentials } from '../kit/sigv4';

/** A topic the local process declares from the templates (AWS::SNS::Topic and its subscriptions). */
export interface TopicDeclaration {
  name: string;
  subscriptions?: Array<{ protocol: string; endpoint: string }>;
}

/** The SNS event AWS delivers to a subscribed Lambda function. */
export interface SnsLambdaEvent {
  Records: Array<{
    EventSource: 'aws:sns';
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    Sns: {
      Type: 'Notification';
      MessageId: string;
      TopicArn: string;
      Subject: string | null;
      Message: string;
      Timestamp: string;
      SignatureVersion: '1';
      Signature: string;
      SigningCertUrl: string;
      UnsubscribeUrl: string;
      MessageAttributes: Record<string, { Type: string; Value: string }>;
    };
  }>;
}

export interface SnsOptions {
  port: number;
  host?: string;
  dataDir: string;
  region?: string;
  accountId?: string;
  topics?: TopicDeclaration[];
  /** Delivers an email subscription's notification (to the local mailbox). */
  sendMail?: (mail: { to: string; subject: string; text: string }) => Promise<void>;
  /** Without `sendMail`, email goes by SMTP to this server (the local mailbox's SMTP port). */
  smtp?: { host: string; port: number; from?: string };
  /** The local SQS endpoint, for `sqs` subscriptions (endpoint = queue ARN). */
  sqsEndpoint?: string;
  /** Invokes a subscribed function (by name) with the SNS event. */
  invoke?: (functionName: string, event: SnsLambdaEvent) => Promise<unknown>;
  /** Every API request must be SigV4-signed with these; deliveries to SQS are signed with them. */
  credentials: LocalCredentials;
  /** Serve the test hook GET /_local/messages (signed requests only). Off unless asked for. */
  testHooks?: boolean;
  /** Published messages kept (with their deliveries), oldest forgotten first; default 1000. */
  keepMessages?: number;
}

export interface Delivery {
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  error?: string;
}

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  messageAttributes: Record<string, { Type: string; Value: string }>;
  timestamp: string;
  deliveries: Delivery[];
}

export interface SnsEngine extends Engine {
  topicArn(name: string): string;
  /** Every message published, newest last, with its delivery results. */
  messages(topicArn?: string): PublishedMessage[];
  /** Resolves when every delivery started so far has finished (for tests and shutdown). */
  idle(): Promise<void>;
}

interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
}

type StoredRecord =
  | { t: 'topic'; arn: string; name: string }
  | { t: 'sub'; v: Subscription }
  | { t: 'msg'; v: PublishedMessage };

class SnsError extends AwsError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, status);
    this.name = 'SnsError';
  }
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const LOCAL_DELIVERY_ATTEMPTS = 3;

/** Local SNS engine: the query protocol of @aws-sdk/client-sns, fan-out to email and functions. */
export async function start(options: SnsOptions): Promise<SnsEngine> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  let sqs: SQSClient | undefined;
  const accountId = options.accountId ?? '000000000000';
  const url = `http://${host}:${options.port}`;
  const arnOf = (name: string) => `arn:aws:sns:${region}:${accountId}:${name}`;

  const journal = new Journal<StoredRecord>(options.dataDir, 'sns.journal.jsonl');
  const topics = new Map<string, string>(); // arn -> name
  const subscriptions = new Map<string, Subscription>();
  const messages = new Map<string, PublishedMessage>();
  const keepMessages = options.keepMessages ?? 1000;
  const apply = (record: StoredRecord) => {
    if (record.t === 'topic') topics.set(record.arn, record.name);
    else if (record.t === 'sub') subscriptions.set(record.v.arn, record.v);
    else {
      messages.set(record.v.messageId, record.v);
      // A Map iterates in insertion order: the first key is the oldest message.
      while (messages.size > keepMessages) messages.delete(messages.keys().next().value as string);
    }
  };
  for (const record of journal.read()) apply(record);
  const compact = () =>
    journal.rewrite([
      ...[...topics].map(([arn, name]): StoredRecord => ({ t: 'topic', arn, name })),
      ...[...subscriptions.values()].map((v): StoredRecord => ({ t: 'sub', v })),
      ...[...messages.values()].map((v): StoredRecord => ({ t: 'msg', v })),
    ]);
  compact();
  const save = (record: StoredRecord) => {
    journal.append(record);
    apply(record);
    // Forgotten messages and superseded delivery states stay in the journal until it is compacted.
    if (journal.length > 4 * (keepMessages + topics.size + subscriptions.size)) compact();
  };

  const subscribe = (topicArn: string, protocol: string, endpoint: string): Subscription => {
    const existing = [...subscriptions.values()].find(
      (s) => s.topicArn === topicArn && s.protocol === protocol && s.endpoint === endpoint,
    );
    if (existing) return existing;
    const subscription = { arn: `${topicArn}:${randomUUID()}`, topicArn, protocol, endpoint };
    save({ t: 'sub', v: subscription });
    return subscription;
  };

  for (const topic of options.topics ?? []) {
    const arn = arnOf(topic.name);
    if (!topics.has(arn)) save({ t: 'topic', arn, name: topic.name });
    for (const sub of topic.subscriptions ?? []) subscribe(arn, sub.protocol, sub.endpoint);
  }

  const pending = new Set<Promise<void>>();
  const smtp = options.smtp;
  const transport = smtp
    ? createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true })
    : undefined;
  const sendMail =
    options.sendMail ??
    (transport
      ? async (mail: { to: string; subject: string; text: string }) => {
          await transport.sendMail({
            from: smtp?.from ?? `no-reply@sns.${region}.amazonaws.com`,
            ...mail,
          });
        }
      : undefined);
  const envelope = (message: PublishedMessage, subscriptionArn: string) =>
    JSON.stringify({
      Type: 'Notification',
      MessageId: message.messageId,
      TopicArn: message.topicArn,
      ...(message.subject !== null ? { Subject: message.subject } : {}),
      Message: message.message,
      Timestamp: message.timestamp,
      SignatureVersion: '1',
      Signature: 'LOCAL',
      SigningCertURL: `${url}/SimpleNotificationService-local.pem`,
      UnsubscribeURL: `${url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
      ...(Object.keys(message.messageAttributes).length > 0
        ? { MessageAttributes: message.messageAttributes }
        : {}),
    });

  const deliver = async (message: PublishedMessage, delivery: Delivery) => {
    for (let attempt = 1; attempt <= LOCAL_DELIVERY_ATTEMPTS; attempt += 1) {
      delivery.attempts = attempt;
      try {
        if (delivery.protocol === 'email' || delivery.protocol === 'email-json') {
          if (!sendMail) throw new Error('No mailbox configured for email subscriptions');
          await sendMail({
            to: delivery.endpoint,
            subject: message.subject ?? 'AWS Notification Message',
            text:
              delivery.protocol === 'email'
                ? `${message.message}\n\n--\nYou are receiving this email because you subscribed to ${message.topicArn} (local SNS).`
                : envelope(message, delivery.subscriptionArn),
          });
        } else if (delivery.protocol === 'lambda') {
          if (!options.invoke)
            throw new Error('No function runner configured for lambda subscriptions');
          const functionName = delivery.endpoint.startsWith('arn:')
            ? (delivery.endpoint.split(':')[6] ?? delivery.endpoint)
            : delivery.endpoint;
          await options.invoke(functionName, {
            Records: [
              {
                EventSource: 'aws:sns',
                EventVersion: '1.0',
                EventSubscriptionArn: delivery.subscriptionArn,
                Sns: {
                  Type: 'Notification',
                  MessageId: message.messageId,
                  TopicArn: message.topicArn,
                  Subject: message.subject,
                  Message: message.message,
                  Timestamp: message.timestamp,
                  SignatureVersion: '1',
                  Signature: 'LOCAL',
                  SigningCertUrl: `${url}/SimpleNotificationService-local.pem`,
                  UnsubscribeUrl: `${url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(delivery.subscriptionArn)}`,
                  MessageAttributes: message.messageAttributes,
                },
              },
            ],
          });
        } else if (delivery.protocol === 'sqs') {
          if (!options.sqsEndpoint)
            throw new Error('No SQS endpoint configured for sqs subscriptions');
          const [, , , , account, queueName] = delivery.endpoint.split(':');
          sqs ??= new SQSClient({
            endpoint: options.sqsEndpoint,
            region,
            credentials: options.credentials,
          });
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: `${options.sqsEndpoint}/${account ?? accountId}/${queueName ?? ''}`,
              MessageBody: envelope(message, delivery.subscriptionArn),
            }),
          );
        } else {
          throw new Error(`Protocol ${delivery.protocol} is not delivered by the local SNS`);
        }
        delivery.status = 'delivered';
        delete delivery.error;
        break;
      } catch (error) {
        delivery.status = 'failed';
        delivery.error = error instanceof Error ? error.message : String(error);
        if (attempt < LOCAL_DELIVERY_ATTEMPTS)
          await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    save({ t: 'msg', v: message });
  };

  const topicOf = (arn: string | undefined) => {
    if (!arn || !topics.has(arn)) throw new SnsError('NotFound', 'Topic does not exist', 404);
    return arn;
  };

  const entries = (params: URLSearchParams, prefix: string) => {
    const result: Record<string, Record<string, string>> = {};
    for (const [key, value] of params) {
      if (!key.startsWith(`${prefix}.entry.`)) continue;
      const [index, ...rest] = key.slice(`${prefix}.entry.`.length).split('.');
      if (!index) continue;
      result[index] = { ...result[index], [rest.join('.')]: value };
    }
    return Object.values(result);
  };

  const publishInput = z.object({
    TopicArn: z.string().min(1, 'TopicArn is required'),
    Message: z.string().min(1, 'Empty message'),
    Subject: z.string().max(100).optional(),
  });

  const actions: Record<string, (params: URLSearchParams) => string> = {
    CreateTopic: (params) => {
      const name = params.get('Name') ?? '';
      if (!TOPIC_NAME.test(name))
        throw new SnsError('InvalidParameter', 'Invalid parameter: Topic Name');
      const arn = arnOf(name);
      if (!topics.has(arn)) save({ t: 'topic', arn, name });
      return `<CreateTopicResult><TopicArn>${xml(arn)}</TopicArn></CreateTopicResult>`;
    },
    ListTopics: () =>
      `<ListTopicsResult><Topics>${[...topics.keys()]
        .map((arn) => `<member><TopicArn>${xml(arn)}</TopicArn></member>`)
        .join('')}</Topics></ListTopicsResult>`,
    Subscribe: (params) => {
      const topicArn = topicOf(params.get('TopicArn') ?? undefined);
      const protocol = params.get('Protocol') ?? '';
      const endpoint = params.get('Endpoint') ?? '';
      if (!['email', 'email-json', 'lambda', 'sqs'].includes(protocol))
        throw new SnsError('InvalidParameter', `Invalid parameter: Protocol ${protocol}`);
      if (!endpoint) throw new SnsError('InvalidParameter', 'Invalid parameter: Endpoint');
      const subscription = subscribe(topicArn, protocol, endpoint);
      return `<SubscribeResult><SubscriptionArn>${xml(subscription.arn)}</SubscriptionArn></SubscribeResult>`;
    },
    Unsubscribe: (params) => {
      const arn = params.get('SubscriptionArn') ?? '';
      if (!subscriptions.has(arn))
        throw new SnsError('NotFound', 'Subscription does not exist', 404);
      subscriptions.delete(arn);
      compact();
      return '';
    },
    ListSubscriptionsByTopic: (params) => {
      const topicArn = topicOf(params.get('TopicArn') ?? undefined);
      return `<ListSubscriptionsByTopicResult><Subscriptions>${[...subscriptions.values()]
        .filter((s) => s.topicArn === topicArn)
        .map(
          (s) =>
            `<member><TopicArn>${xml(s.topicArn)}</TopicArn><Protocol>${xml(s.protocol)}</Protocol><SubscriptionArn>${xml(s.arn)}</SubscriptionArn><Owner>${accountId}</Owner><Endpoint>${xml(s.endpoint)}</Endpoint></member>`,
        )
        .join('')}</Subscriptions></ListSubscriptionsByTopicResult>`;
    },
    Publish: (params) => {
      const parsed = publishInput.safeParse({
        TopicArn: params.get('TopicArn') ?? params.get('TargetArn') ?? undefined,
        Message: params.get('Message') ?? undefined,
        Subject: params.get('Subject') ?? undefined,
      });
      if (!parsed.success)
        throw new SnsError(
          'InvalidParameter',
          `Invalid parameter: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        );
      const topicArn = topicOf(parsed.data.TopicArn);
      const messageAttributes: PublishedMessage['messageAttributes'] = {};
      for (const entry of entries(params, 'MessageAttributes')) {
        if (!entry.Name) continue;
        messageAttributes[entry.Name] = {
          Type: entry['Value.DataType'] ?? 'String',
          Value: entry['Value.StringValue'] ?? entry['Value.BinaryValue'] ?? '',
        };
      }
      const message: PublishedMessage = {
        messageId: randomUUID(),
        topicArn,
        subject: parsed.data.Subject ?? null,
        message: parsed.data.Message,
        messageAttributes,
        timestamp: new Date().toISOString(),
        deliveries: [...subscriptions.values()]
          .filter((s) => s.topicArn === topicArn)
          .map((s) => ({
            subscriptionArn: s.arn,
            protocol: s.protocol,
            endpoint: s.endpoint,
            status: 'pending' as const,
            attempts: 0,
          })),
      };
      save({ t: 'msg', v: message });
      for (const delivery of message.deliveries) {
        const run = deliver(message, delivery).finally(() => pending.delete(run));
        pending.add(run);
      }
      return `<PublishResult><MessageId>${message.messageId}</MessageId></PublishResult>`;
    },
  };

  const server = await serveHttp({
    engine: 'SNS',
    host,
    port: options.port,
    handle: awsQueryHandler({
      xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
      actions,
      signature: { credentials: options.credentials, region, service: 'sns' },
      // The UnsubscribeURL in every notification works without credentials, as in SNS: the
      // subscription ARN it carries is the token. Everything else must be signed.
      unsigned: (req, params) => req.method === 'GET' && params.get('Action') === 'Unsubscribe',
      route: (req, res, target) => {
        if (!(options.testHooks && req.method === 'GET' && target.pathname === '/_local/messages'))
          return false;
        const topic = target.searchParams.get('topicArn');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify([...messages.values()].filter((m) => !topic || m.topicArn === topic)),
        );
        return true;
      },
    }),
    fail: () => undefined,
  });

  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  return {
    url,
    topicArn: arnOf,
    messages: (topicArn) =>
      [...messages.values()].filter((m) => !topicArn || m.topicArn === topicArn),
    idle,
    stop: async () => {
      await close(server);
      await idle();
      sqs?.destroy();
    },
  };
}
