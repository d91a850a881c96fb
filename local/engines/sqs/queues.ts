import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../kit/aws-json';
import { Journal } from '../kit/journal';
import { md5OfBody, md5OfMessageAttributes, type MessageAttributeValue } from './md5';

/** An SQS API error, named as the JSON protocol names it (`__type`) with its query-protocol code. */
export class SqsError extends AwsError {
  constructor(
    code: string,
    message: string,
    readonly queryCode: string = code,
    status = 400,
    options?: ErrorOptions,
  ) {
    super(code, message, status, options);
    this.name = 'SqsError';
  }
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface QueueAttributes {
  VisibilityTimeout: number;
  DelaySeconds: number;
  ReceiveMessageWaitTimeSeconds: number;
  MessageRetentionPeriod: number;
  MaximumMessageSize: number;
  RedrivePolicy?: RedrivePolicy;
}

export interface StoredMessage {
  id: string;
  body: string;
  md5: string;
  attributesMd5?: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
  /** True once received and not yet visible again: what "in flight" means to SQS. */
  delayed: boolean;
  /** The queue a dead-lettered message came from (SQS's DeadLetterQueueSourceArn): where a redrive returns it. */
  deadLetterSourceArn?: string;
}

interface Queue {
  name: string;
  arn: string;
  createdAt: number;
  attributes: QueueAttributes;
  messages: Map<string, StoredMessage>;
  waiters: Set<() => void>;
}

type Record_ =
  | { op: 'queue'; name: string; createdAt: number; attributes: QueueAttributes }
  | { op: 'dropQueue'; name: string }
  | { op: 'put'; queue: string; message: StoredMessage }
  | { op: 'del'; queue: string; id: string }
  | { op: 'purge'; queue: string };

export const DEFAULT_ATTRIBUTES: QueueAttributes = {
  VisibilityTimeout: 30,
  DelaySeconds: 0,
  ReceiveMessageWaitTimeSeconds: 0,
  MessageRetentionPeriod: 345_600,
  MaximumMessageSize: 262_144,
};

export interface ReceivedMessage {
  message: StoredMessage;
  receiptHandle: string;
}

/** The queues and their messages, every change journaled before it is acknowledged. */
export class QueueStore {
  private readonly queues = new Map<string, Queue>();
  private readonly journal: Journal<Record_>;

  constructor(
    dataDir: string,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.journal = new Journal<Record_>(dataDir, 'sqs.journal.jsonl');
    for (const record of this.journal.read()) this.apply(record);
    this.compact();
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  private apply(record: Record_): void {
    switch (record.op) {
      case 'queue': {
        const existing = this.queues.get(record.name);
        if (existing) existing.attributes = record.attributes;
        else
          this.queues.set(record.name, {
            name: record.name,
            arn: this.arnOf(record.name),
            createdAt: record.createdAt,
            attributes: record.attributes,
            messages: new Map(),
            waiters: new Set(),
          });
        break;
      }
      case 'dropQueue':
        this.queues.delete(record.name);
        break;
      case 'put':
        this.queues.get(record.queue)?.messages.set(record.message.id, record.message);
        break;
      case 'del':
        this.queues.get(record.queue)?.messages.delete(record.id);
        break;
      case 'purge':
        this.queues.get(record.queue)?.messages.clear();
        break;
    }
  }

  private write(record: Record_): void {
    this.journal.append(record);
    this.apply(record);
    if (this.journal.length > 20_000) this.compact();
  }

  private compact(): void {
    const records: Record_[] = [];
    for (const queue of this.queues.values()) {
      records.push({
        op: 'queue',
        name: queue.name,
        createdAt: queue.createdAt,
        attributes: queue.attributes,
      });
      for (const message of queue.messages.values())
        records.push({ op: 'put', queue: queue.name, message });
    }
    this.journal.rewrite(records);
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  get(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue)
      throw new SqsError(
        'QueueDoesNotExist',
        `The specified queue ${name} does not exist.`,
        'AWS.SimpleQueueService.NonExistentQueue',
      );
    return queue;
  }

  /** Creates a queue, or returns the existing one when its attributes are the same (AWS semantics). */
  createQueue(name: string, attributes: QueueAttributes, replace = false): Queue {
    const existing = this.queues.get(name);
    if (existing && !replace) {
      if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes))
        throw new SqsError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute(s)`,
          'QueueAlreadyExists',
        );
      return existing;
    }
    this.write({ op: 'queue', name, createdAt: existing?.createdAt ?? Date.now(), attributes });
    return this.get(name);
  }

  setAttributes(name: string, attributes: QueueAttributes): void {
    const queue = this.get(name);
    this.write({ op: 'queue', name, createdAt: queue.createdAt, attributes });
  }

  deleteQueue(name: string): void {
    this.get(name);
    this.write({ op: 'dropQueue', name });
  }

  send(
    name: string,
    body: string,
    messageAttributes: Record<string, MessageAttributeValue>,
    delaySeconds?: number,
  ): StoredMessage {
    const queue = this.get(name);
    if (body.length === 0)
      throw new SqsError(
        'InvalidParameterValue',
        'The request must contain the parameter MessageBody.',
      );
    if (Buffer.byteLength(body) > queue.attributes.MaximumMessageSize)
      throw new SqsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${queue.attributes.MaximumMessageSize} bytes.`,
      );
    const now = Date.now();
    const delay = delaySeconds ?? queue.attributes.DelaySeconds;
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5: md5OfBody(body),
      attributesMd5: md5OfMessageAttributes(messageAttributes),
      messageAttributes,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delay * 1000,
      delayed: delay > 0,
    };
    this.write({ op: 'put', queue: name, message });
    this.wake(queue);
    return message;
  }

  private wake(queue: Queue): void {
    for (const waiter of queue.waiters) waiter();
  }

  /** Takes up to `max` visible messages; messages past maxReceiveCount go to the DLQ instead. */
  receiveNow(name: string, max: number, visibilityTimeout?: number): ReceivedMessage[] {
    const queue = this.get(name);
    const now = Date.now();
    const taken: ReceivedMessage[] = [];
    const redrive = queue.attributes.RedrivePolicy;
    for (const message of queue.messages.values()) {
      if (taken.length >= max) break;
      if (message.visibleAt > now) continue;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.moveToDeadLetterQueue(queue, message, redrive);
        continue;
      }
      const receiptHandle = Buffer.from(
        JSON.stringify([message.id, message.receiveCount + 1, randomBytes(6).toString('hex')]),
      ).toString('base64url');
      const updated: StoredMessage = {
        ...message,
        receiveCount: message.receiveCount + 1,
        firstReceivedAt: message.firstReceivedAt ?? now,
        visibleAt: now + (visibilityTimeout ?? queue.attributes.VisibilityTimeout) * 1000,
        receiptHandle,
        delayed: false,
      };
      this.write({ op: 'put', queue: name, message: updated });
      taken.push({ message: updated, receiptHandle });
    }
    return taken;
  }

  private moveToDeadLetterQueue(queue: Queue, message: StoredMessage, redrive: RedrivePolicy) {
    const dlqName = redrive.deadLetterTargetArn.split(':').pop() ?? '';
    const dlq = this.queues.get(dlqName);
    // Without its DLQ the message stays (AWS also keeps it when the DLQ is missing).
    if (!dlq) return;
    const moved: StoredMessage = {
      ...message,
      visibleAt: Date.now(),
      delayed: false,
      deadLetterSourceArn: queue.arn,
    };
    delete moved.receiptHandle;
    this.write({ op: 'put', queue: dlq.name, message: moved });
    this.write({ op: 'del', queue: queue.name, id: message.id });
    this.wake(dlq);
  }

  /** Long polling: waits up to `waitSeconds` for at least one message. */
  async receive(
    name: string,
    max: number,
    waitSeconds: number,
    visibilityTimeout?: number,
    signal?: AbortSignal,
  ): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const taken = this.receiveNow(name, max, visibilityTimeout);
      if (taken.length > 0 || Date.now() >= deadline || signal?.aborted) return taken;
      const queue = this.get(name);
      await new Promise<void>((resolve) => {
        // Wake on a send, or soon enough to notice an expired visibility timeout.
        const timer = setTimeout(done, Math.min(200, Math.max(1, deadline - Date.now())));
        function done() {
          clearTimeout(timer);
          queue.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        queue.waiters.add(done);
        signal?.addEventListener('abort', done);
      });
    }
  }

  private parseHandle(receiptHandle: string): string {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(receiptHandle, 'base64url').toString('utf8'));
      if (Array.isArray(parsed) && typeof parsed[0] === 'string') return parsed[0];
    } catch {
      // fall through to the protocol error
    }
    throw new SqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
    );
  }

  /** Deletes a message; an outdated receipt handle succeeds without deleting (as SQS documents). */
  delete(name: string, receiptHandle: string): void {
    const queue = this.get(name);
    const id = this.parseHandle(receiptHandle);
    const message = queue.messages.get(id);
    if (!message || message.receiptHandle !== receiptHandle) return;
    this.write({ op: 'del', queue: name, id });
  }

  changeVisibility(name: string, receiptHandle: string, timeoutSeconds: number): void {
    const queue = this.get(name);
    const id = this.parseHandle(receiptHandle);
    const message = queue.messages.get(id);
    if (!message || message.receiptHandle !== receiptHandle || message.visibleAt <= Date.now())
      throw new SqsError(
        'MessageNotInflight',
        'The message referred to is not in flight.',
        'AWS.SimpleQueueService.MessageNotInflight',
      );
    if (timeoutSeconds < 0 || timeoutSeconds > 43_200)
      throw new SqsError('InvalidParameterValue', 'VisibilityTimeout must be between 0 and 43200.');
    this.write({
      op: 'put',
      queue: name,
      message: { ...message, visibleAt: Date.now() + timeoutSeconds * 1000 },
    });
    if (timeoutSeconds === 0) this.wake(queue);
  }

  /**
   * Moves a message that is visible now to another queue as a fresh message (a message move
   * task's unit of work); false when it is gone or in flight. The move is two journaled writes,
   * put first, so a crash in between delivers it twice at worst, never loses it.
   */
  moveMessage(from: string, id: string, to: string): boolean {
    const source = this.get(from);
    const target = this.get(to);
    const message = source.messages.get(id);
    if (!message || message.visibleAt > Date.now()) return false;
    const now = Date.now();
    const moved: StoredMessage = {
      id: randomUUID(),
      body: message.body,
      md5: message.md5,
      messageAttributes: message.messageAttributes,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now,
      delayed: false,
      ...(message.attributesMd5 ? { attributesMd5: message.attributesMd5 } : {}),
    };
    this.write({ op: 'put', queue: to, message: moved });
    this.write({ op: 'del', queue: from, id });
    this.wake(target);
    return true;
  }

  purge(name: string): void {
    this.get(name);
    this.write({ op: 'purge', queue: name });
  }

  /** Messages visible now, in flight (received, not yet visible), and delayed. */
  depth(name: string): { visible: number; inFlight: number; delayed: number } {
    const queue = this.get(name);
    const now = Date.now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of queue.messages.values()) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.delayed) delayed += 1;
      else inFlight += 1;
    }
    return { visible, inFlight, delayed };
  }

  messages(name: string): StoredMessage[] {
    return [...this.get(name).messages.values()];
  }
}
