import { serveAwsJson } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { close } from '../kit/http';
import { QUERY_SIGNATURE_ERRORS, type LocalCredentials } from '../kit/sigv4';
import { z } from 'zod';
import {
  DEFAULT_ATTRIBUTES,
  QueueStore,
  SqsError,
  type QueueAttributes,
  type ReceivedMessage,
} from './queues';
import { MessageMoves, cancelMoveInput, listMovesInput, startMoveInput } from './moves';

/** A queue the local process declares from the templates (AWS::SQS::Queue). */
export interface QueueDeclaration {
  name: string;
  visibilityTimeoutSeconds?: number;
  delaySeconds?: number;
  receiveMessageWaitTimeSeconds?: number;
  messageRetentionPeriodSeconds?: number;
  /** Dead-letter queue by name or ARN; it must be declared too. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

export interface SqsOptions {
  port: number;
  host?: string;
  /** Directory for the journal; created when missing. */
  dataDir: string;
  region?: string;
  accountId?: string;
  queues?: QueueDeclaration[];
  /** Every request must be SigV4-signed with these (the local credentials), as SQS requires. */
  credentials: LocalCredentials;
}

/** The Lambda SQS event, as AWS delivers it to a function. */
export interface SqsLambdaEvent {
  Records: Array<{
    messageId: string;
    receiptHandle: string;
    body: string;
    attributes: Record<string, string>;
    messageAttributes: Record<
      string,
      {
        stringValue?: string;
        binaryValue?: string;
        stringListValues: string[];
        binaryListValues: string[];
        dataType: string;
      }
    >;
    md5OfBody: string;
    md5OfMessageAttributes?: string;
    eventSource: 'aws:sqs';
    eventSourceARN: string;
    awsRegion: string;
  }>;
}

export interface EventSourceMappingOptions {
  /** Queue name (or URL or ARN). */
  queue: string;
  batchSize?: number;
  /** Pollers working in parallel, like the Lambda service scaling its SQS pollers. */
  concurrency?: number;
  /** Whether the function's `batchItemFailures` answer is honoured (ReportBatchItemFailures). */
  reportBatchItemFailures?: boolean;
  invoke: (
    event: SqsLambdaEvent,
  ) => Promise<{ batchItemFailures?: Array<{ itemIdentifier: string }> } | void | null | undefined>;
  /** Called when an invocation throws (the batch then returns to the queue). */
  onError?: (error: unknown) => void;
}

export interface EventSourceMapping {
  stop(): Promise<void>;
}

export interface SqsEngine extends Engine {
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** Queue depth as GetQueueAttributes reports it. */
  depth(name: string): { visible: number; inFlight: number; delayed: number };
  /** Bodies of every message in the queue, in or out of flight (for tests and the operator). */
  messageBodies(name: string): string[];
  /** Polls a queue and delivers batches to a function, deleting what it did not report as failed. */
  startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping;
}

const attributeValue = z.object({
  DataType: z.string().min(1),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
});
const messageAttributes = z.record(z.string(), attributeValue).optional();
const queueUrlInput = z.object({ QueueUrl: z.string().min(1) });
const sendInput = queueUrlInput.extend({
  MessageBody: z.string(),
  DelaySeconds: z.number().int().min(0).max(900).optional(),
  MessageAttributes: messageAttributes,
});
const receiveInput = queueUrlInput.extend({
  MaxNumberOfMessages: z.number().int().min(1).max(10).optional(),
  VisibilityTimeout: z.number().int().min(0).max(43_200).optional(),
  WaitTimeSeconds: z.number().int().min(0).max(20).optional(),
  AttributeNames: z.array(z.string()).optional(),
  MessageSystemAttributeNames: z.array(z.string()).optional(),
  MessageAttributeNames: z.array(z.string()).optional(),
});
const createInput = z.object({
  QueueName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'Queue names are 1-80 letters, digits, - or _'),
  Attributes: z.record(z.string(), z.string()).optional(),
});

function toAttributes(
  raw: Record<string, string> | undefined,
  base: QueueAttributes,
  arnOf: (name: string) => string,
): QueueAttributes {
  const attributes: QueueAttributes = { ...base };
  for (const [key, value] of Object.entries(raw ?? {})) {
    switch (key) {
      case 'VisibilityTimeout':
      case 'DelaySeconds':
      case 'ReceiveMessageWaitTimeSeconds':
      case 'MessageRetentionPeriod':
      case 'MaximumMessageSize': {
        const number = Number(value);
        if (!Number.isInteger(number) || number < 0)
          throw new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${key}.`);
        attributes[key] = number;
        break;
      }
      case 'RedrivePolicy': {
        if (value === '') {
          delete attributes.RedrivePolicy;
          break;
        }
        const parsed = z
          .object({
            deadLetterTargetArn: z.string().min(1),
            maxReceiveCount: z.coerce.number().int().min(1).max(1000),
          })
          .safeParse(JSON.parse(value));
        if (!parsed.success)
          throw new SqsError(
            'InvalidAttributeValue',
            'Invalid value for the parameter RedrivePolicy.',
          );
        const target = parsed.data.deadLetterTargetArn;
        attributes.RedrivePolicy = {
          deadLetterTargetArn: target.startsWith('arn:') ? target : arnOf(target),
          maxReceiveCount: parsed.data.maxReceiveCount,
        };
        break;
      }
      default:
        // Policy, KMS and tag-like attributes are accepted and not modelled.
        break;
    }
  }
  return attributes;
}

/** Local SQS engine: the JSON protocol of @aws-sdk/client-sqs v3, durable queues with DLQ redrive. */
export async function start(options: SqsOptions): Promise<SqsEngine> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const store = new QueueStore(options.dataDir, region, accountId);
  const url = `http://${host}:${options.port}`;
  const queueUrl = (name: string) => `${url}/${accountId}/${name}`;
  const arnOf = (name: string) => store.arnOf(name);

  // Declared queues: dead-letter queues first so that a redrive always finds its target.
  const declared = [...(options.queues ?? [])].sort(
    (a, b) => Number(Boolean(a.redrive)) - Number(Boolean(b.redrive)),
  );
  for (const queue of declared) {
    const attributes: QueueAttributes = { ...DEFAULT_ATTRIBUTES };
    if (queue.visibilityTimeoutSeconds !== undefined)
      attributes.VisibilityTimeout = queue.visibilityTimeoutSeconds;
    if (queue.delaySeconds !== undefined) attributes.DelaySeconds = queue.delaySeconds;
    if (queue.receiveMessageWaitTimeSeconds !== undefined)
      attributes.ReceiveMessageWaitTimeSeconds = queue.receiveMessageWaitTimeSeconds;
    if (queue.messageRetentionPeriodSeconds !== undefined)
      attributes.MessageRetentionPeriod = queue.messageRetentionPeriodSeconds;
    if (queue.redrive) {
      const target = queue.redrive.deadLetterQueue;
      attributes.RedrivePolicy = {
        deadLetterTargetArn: target.startsWith('arn:') ? target : arnOf(target),
        maxReceiveCount: queue.redrive.maxReceiveCount,
      };
    }
    store.createQueue(queue.name, attributes, true);
  }

  const nameFromUrl = (queueUrlValue: string): string => {
    const name = queueUrlValue.split('/').pop() ?? '';
    store.get(name);
    return name;
  };
  const nameFromAny = (ref: string): string =>
    ref.startsWith('arn:') ? (ref.split(':').pop() ?? '') : nameFromUrl(ref);

  const queueAttributes = (name: string, wanted: string[] | undefined) => {
    const queue = store.get(name);
    const depth = store.depth(name);
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(depth.visible),
      ApproximateNumberOfMessagesNotVisible: String(depth.inFlight),
      ApproximateNumberOfMessagesDelayed: String(depth.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      VisibilityTimeout: String(queue.attributes.VisibilityTimeout),
      DelaySeconds: String(queue.attributes.DelaySeconds),
      ReceiveMessageWaitTimeSeconds: String(queue.attributes.ReceiveMessageWaitTimeSeconds),
      MessageRetentionPeriod: String(queue.attributes.MessageRetentionPeriod),
      MaximumMessageSize: String(queue.attributes.MaximumMessageSize),
      SqsManagedSseEnabled: 'false',
    };
    if (queue.attributes.RedrivePolicy)
      all.RedrivePolicy = JSON.stringify(queue.attributes.RedrivePolicy);
    if (!wanted || wanted.includes('All')) return all;
    return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.includes(key)));
  };

  const toWireMessage = (
    { message, receiptHandle }: ReceivedMessage,
    systemNames: string[],
    attributeNames: string[],
  ) => {
    const system: Record<string, string> = {
      SenderId: 'LOCALACCESSKEY',
      SentTimestamp: String(message.sentAt),
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      ...(message.deadLetterSourceArn
        ? { DeadLetterQueueSourceArn: message.deadLetterSourceArn }
        : {}),
    };
    const wantAllSystem = systemNames.includes('All');
    const attributes = Object.fromEntries(
      Object.entries(system).filter(([key]) => wantAllSystem || systemNames.includes(key)),
    );
    const wantAll = attributeNames.some((n) => n === 'All' || n === '.*');
    const selected = Object.fromEntries(
      Object.entries(message.messageAttributes).filter(
        ([key]) =>
          wantAll ||
          attributeNames.includes(key) ||
          attributeNames.some((n) => n.endsWith('.*') && key.startsWith(n.slice(0, -1))),
      ),
    );
    const hasSelected = Object.keys(selected).length > 0;
    return {
      MessageId: message.id,
      ReceiptHandle: receiptHandle,
      MD5OfBody: message.md5,
      Body: message.body,
      ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
      ...(hasSelected
        ? { MessageAttributes: selected, MD5OfMessageAttributes: message.attributesMd5 }
        : {}),
    };
  };

  const inflight = new Set<AbortController>();
  const moves = new MessageMoves(store);

  const actions: Record<string, (input: unknown) => Promise<unknown> | unknown> = {
    CreateQueue: (input) => {
      const { QueueName, Attributes } = parse(createInput, input);
      store.createQueue(QueueName, toAttributes(Attributes, DEFAULT_ATTRIBUTES, arnOf));
      return { QueueUrl: queueUrl(QueueName) };
    },
    GetQueueUrl: (input) => {
      const { QueueName } = parse(z.object({ QueueName: z.string().min(1) }), input);
      store.get(QueueName);
      return { QueueUrl: queueUrl(QueueName) };
    },
    ListQueues: (input) => {
      const { QueueNamePrefix } = parse(
        z.object({ QueueNamePrefix: z.string().optional() }),
        input,
      );
      return {
        QueueUrls: store
          .names()
          .filter((name) => !QueueNamePrefix || name.startsWith(QueueNamePrefix))
          .map(queueUrl),
      };
    },
    DeleteQueue: (input) => {
      store.deleteQueue(nameFromUrl(parse(queueUrlInput, input).QueueUrl));
      return {};
    },
    GetQueueAttributes: (input) => {
      const { QueueUrl, AttributeNames } = parse(
        queueUrlInput.extend({ AttributeNames: z.array(z.string()).optional() }),
        input,
      );
      return { Attributes: queueAttributes(nameFromUrl(QueueUrl), AttributeNames) };
    },
    SetQueueAttributes: (input) => {
      const { QueueUrl, Attributes } = parse(
        queueUrlInput.extend({ Attributes: z.record(z.string(), z.string()) }),
        input,
      );
      const name = nameFromUrl(QueueUrl);
      store.setAttributes(name, toAttributes(Attributes, store.get(name).attributes, arnOf));
      return {};
    },
    SendMessage: (input) => {
      const { QueueUrl, MessageBody, DelaySeconds, MessageAttributes } = parse(sendInput, input);
      const message = store.send(
        nameFromUrl(QueueUrl),
        MessageBody,
        MessageAttributes ?? {},
        DelaySeconds,
      );
      return {
        MessageId: message.id,
        MD5OfMessageBody: message.md5,
        ...(message.attributesMd5 ? { MD5OfMessageAttributes: message.attributesMd5 } : {}),
      };
    },
    SendMessageBatch: (input) => {
      const { QueueUrl, Entries } = parse(
        queueUrlInput.extend({
          Entries: z
            .array(sendInput.omit({ QueueUrl: true }).extend({ Id: z.string().min(1) }))
            .min(1)
            .max(10),
        }),
        input,
      );
      const name = nameFromUrl(QueueUrl);
      return eachEntry(Entries, (entry) => {
        const message = store.send(
          name,
          entry.MessageBody,
          entry.MessageAttributes ?? {},
          entry.DelaySeconds,
        );
        return {
          MessageId: message.id,
          MD5OfMessageBody: message.md5,
          ...(message.attributesMd5 ? { MD5OfMessageAttributes: message.attributesMd5 } : {}),
        };
      });
    },
    ReceiveMessage: async (input) => {
      const request = parse(receiveInput, input);
      const name = nameFromUrl(request.QueueUrl);
      const controller = new AbortController();
      inflight.add(controller);
      try {
        const received = await store.receive(
          name,
          request.MaxNumberOfMessages ?? 1,
          request.WaitTimeSeconds ?? store.get(name).attributes.ReceiveMessageWaitTimeSeconds,
          request.VisibilityTimeout,
          controller.signal,
        );
        const systemNames = [
          ...(request.AttributeNames ?? []),
          ...(request.MessageSystemAttributeNames ?? []),
        ];
        return {
          Messages: received.map((r) =>
            toWireMessage(r, systemNames, request.MessageAttributeNames ?? []),
          ),
        };
      } finally {
        inflight.delete(controller);
      }
    },
    DeleteMessage: (input) => {
      const { QueueUrl, ReceiptHandle } = parse(
        queueUrlInput.extend({ ReceiptHandle: z.string().min(1) }),
        input,
      );
      store.delete(nameFromUrl(QueueUrl), ReceiptHandle);
      return {};
    },
    DeleteMessageBatch: (input) => {
      const { QueueUrl, Entries } = parse(
        queueUrlInput.extend({
          Entries: z
            .array(z.object({ Id: z.string().min(1), ReceiptHandle: z.string().min(1) }))
            .min(1)
            .max(10),
        }),
        input,
      );
      const name = nameFromUrl(QueueUrl);
      return eachEntry(Entries, (entry) => {
        store.delete(name, entry.ReceiptHandle);
        return {};
      });
    },
    ChangeMessageVisibility: (input) => {
      const { QueueUrl, ReceiptHandle, VisibilityTimeout } = parse(
        queueUrlInput.extend({
          ReceiptHandle: z.string().min(1),
          VisibilityTimeout: z.number().int(),
        }),
        input,
      );
      store.changeVisibility(nameFromUrl(QueueUrl), ReceiptHandle, VisibilityTimeout);
      return {};
    },
    ChangeMessageVisibilityBatch: (input) => {
      const { QueueUrl, Entries } = parse(
        queueUrlInput.extend({
          Entries: z
            .array(
              z.object({
                Id: z.string().min(1),
                ReceiptHandle: z.string().min(1),
                VisibilityTimeout: z.number().int(),
              }),
            )
            .min(1)
            .max(10),
        }),
        input,
      );
      const name = nameFromUrl(QueueUrl);
      return eachEntry(Entries, (entry) => {
        store.changeVisibility(name, entry.ReceiptHandle, entry.VisibilityTimeout);
        return {};
      });
    },
    PurgeQueue: (input) => {
      store.purge(nameFromUrl(parse(queueUrlInput, input).QueueUrl));
      return {};
    },
    StartMessageMoveTask: (input) => moves.start(parse(startMoveInput, input)),
    ListMessageMoveTasks: (input) => moves.list(parse(listMovesInput, input)),
    CancelMessageMoveTask: (input) => moves.cancel(parse(cancelMoveInput, input)),
  };

  const server = await serveAwsJson<unknown>(
    'SQS',
    { host, port: options.port },
    {
      target: 'AmazonSQS',
      version: '1.0',
      operations: actions,
      signature: {
        credentials: options.credentials,
        region,
        service: 'sqs',
        errors: QUERY_SIGNATURE_ERRORS,
      },
      decode: (body) => body,
      unknownOperation: (target, action) =>
        new SqsError(
          'InvalidAction',
          `The action ${action || target || '(none)'} is not valid for this endpoint.`,
        ),
      malformed: () =>
        new SqsError('MalformedQueryString', 'The request body is not valid JSON.', undefined, 400),
      internal: (error) =>
        new SqsError(
          'InternalError',
          error instanceof Error ? error.message : String(error),
          undefined,
          500,
        ),
      errorType: (code) => `com.amazonaws.sqs#${code}`,
      errorHeaders: (error): Record<string, string> =>
        error.status >= 500
          ? {}
          : {
              'x-amzn-query-error': `${error instanceof SqsError ? error.queryCode : error.code};Sender`,
            },
    },
  );

  const mappings = new Set<EventSourceMapping>();

  const startEventSourceMapping = (mapping: EventSourceMappingOptions): EventSourceMapping => {
    const name = nameFromAny(mapping.queue);
    const arn = arnOf(name);
    const controller = new AbortController();
    const batchSize = mapping.batchSize ?? 10;
    const reportFailures = mapping.reportBatchItemFailures ?? true;
    const poll = async () => {
      while (!controller.signal.aborted) {
        let batch: ReceivedMessage[] = [];
        try {
          batch = await store.receive(name, batchSize, 1, undefined, controller.signal);
        } catch (error) {
          mapping.onError?.(error);
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        if (batch.length === 0) continue;
        const event: SqsLambdaEvent = {
          Records: batch.map(({ message, receiptHandle }) => ({
            messageId: message.id,
            receiptHandle,
            body: message.body,
            attributes: {
              ApproximateReceiveCount: String(message.receiveCount),
              SentTimestamp: String(message.sentAt),
              SenderId: 'LOCALACCESSKEY',
              ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
            },
            messageAttributes: Object.fromEntries(
              Object.entries(message.messageAttributes).map(([key, value]) => [
                key,
                {
                  ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
                  ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
                  stringListValues: [],
                  binaryListValues: [],
                  dataType: value.DataType,
                },
              ]),
            ),
            md5OfBody: message.md5,
            ...(message.attributesMd5 ? { md5OfMessageAttributes: message.attributesMd5 } : {}),
            eventSource: 'aws:sqs',
            eventSourceARN: arn,
            awsRegion: region,
          })),
        };
        let failed = new Set<string>();
        try {
          const result = await mapping.invoke(event);
          if (reportFailures && result?.batchItemFailures) {
            failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
            // Lambda treats an unknown or empty identifier as a failure of the whole batch.
            if ([...failed].some((id) => !batch.some((b) => b.message.id === id)))
              failed = new Set(batch.map((b) => b.message.id));
          }
        } catch (error) {
          mapping.onError?.(error);
          continue; // the whole batch returns to the queue when its visibility timeout ends
        }
        for (const { message, receiptHandle } of batch) {
          if (failed.has(message.id)) continue;
          try {
            store.delete(name, receiptHandle);
          } catch (error) {
            mapping.onError?.(error);
          }
        }
      }
    };
    const pollers = Array.from({ length: Math.max(1, mapping.concurrency ?? 2) }, () => poll());
    const handle: EventSourceMapping = {
      stop: async () => {
        controller.abort();
        await Promise.allSettled(pollers);
        mappings.delete(handle);
      },
    };
    mappings.add(handle);
    return handle;
  };

  return {
    url,
    queueUrl,
    queueArn: arnOf,
    depth: (name) => store.depth(name),
    messageBodies: (name) => store.messages(name).map((m) => m.body),
    startEventSourceMapping,
    stop: async () => {
      await Promise.all([...mappings].map((m) => m.stop()));
      moves.stop();
      for (const controller of inflight) controller.abort();
      await close(server);
    },
  };
}

/**
 * A batch action's answer: each entry succeeds or fails on its own, as SQS reports it, so one bad
 * receipt handle does not fail the others.
 */
function eachEntry<E extends { Id: string }>(
  entries: readonly E[],
  act: (entry: E) => Record<string, unknown>,
): { Successful: unknown[]; Failed: unknown[] } {
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...act(entry) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id: entry.Id, Code: error.code, Message: error.message, SenderFault: true });
    }
  }
  return { Successful, Failed };
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SqsError(
      issue?.code === 'invalid_type' && issue.input === undefined
        ? 'MissingParameter'
        : 'InvalidParameterValue',
      `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}
