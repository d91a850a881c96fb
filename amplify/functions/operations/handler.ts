import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  DAY_MS,
  countByStatus,
  latestFailures,
  stepTimings,
  storyEvents,
  type HistoryEventLike,
  type OrderGlimpse,
} from '../../domain/operations';
import { ORDER_STATUSES, type OrderStatus, type StatusChange } from '../../domain/order';
import { dynamo, sfn, sqs } from '../shared/aws';
import { readEnv } from '../shared/env';
import { appSyncEventSchema, cognitoIdentitySchema, groupsOf } from '../shared/events';
import { observed } from '../shared/observability';
import { traceAwsClients } from '../shared/tracing';
import {
  orderLogWindow,
  parseLogGroups,
  readOrderLogs,
  type LogWindow,
  type OrderLogs,
} from './order-logs';

/** The Order table's GSI on (status, createdAt), as data/resource.ts declares it. */
export const ORDER_STATUS_INDEX = 'ordersByStatusAndCreatedAt';
const FAILURES_SHOWN = 10;
const DEAD_LETTERS_SHOWN = 10;
const RUNNING_SHOWN = 10;
const FAILED_EXECUTIONS_SHOWN = 5;

export interface QueueDepth {
  visible: number;
  inFlight: number;
}
export interface DeadLetter {
  messageId: string;
  body: string;
  sentAt: string;
  receiveCount: number;
}
export interface MoveTask {
  status: string;
  moved: number;
  toMove: number;
  startedAt: string;
  failureReason: string | null;
}
export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
}

/** What the operations resolver reads and does, each through one SDK call (or a page loop). */
export interface OperationsDeps {
  ordersPlacedSince: (status: OrderStatus, since: string) => Promise<OrderGlimpse[]>;
  findOrder: (id: string) => Promise<(OrderGlimpse & { statusHistory: StatusChange[] }) | null>;
  queueDepth: (queue: 'orders' | 'deadLetters') => Promise<QueueDepth>;
  peekDeadLetters: (max: number) => Promise<DeadLetter[]>;
  startRedrive: () => Promise<void>;
  latestRedrive: () => Promise<MoveTask | null>;
  listExecutions: (status: 'RUNNING' | 'FAILED', max: number) => Promise<ExecutionSummary[]>;
  describeExecution: (orderId: string) => Promise<ExecutionSummary | null>;
  executionHistory: (executionArn: string) => Promise<HistoryEventLike[]>;
  /** The order's log lines within the window, from every function that logs an order id. */
  orderLogs: (orderId: string, window: LogWindow) => Promise<OrderLogs>;
  now: () => Date;
}

/** Refused: the caller is not in ADMINS (AppSync checks first; this holds if a rule ever slips). */
export class NotAnOperatorError extends Error {
  constructor() {
    super('Unauthorized: the operations API is for the ADMINS group only.');
    this.name = 'Unauthorized';
  }
}

const orderIdSchema = z.object({ orderId: z.string().min(1).max(128) });
// Reading the dead letters receives them, which adds one to each message's receive count (SQS has
// no peek): the page asks for them only when it has a reason to, and the count it shows stays
// close to the consumer's own attempts.
const overviewArgsSchema = z.object({ withDeadLetters: z.boolean().nullish() });

/** The operations resolver over its dependencies: one AppSync field at a time. */
export const operationsWith = (deps: OperationsDeps) => {
  const withTimings = async (execution: ExecutionSummary) => ({
    ...execution,
    steps: stepTimings(await deps.executionHistory(execution.executionArn)),
  });

  const overview = async (args: unknown) => {
    const parsed = overviewArgsSchema.safeParse(args ?? {});
    if (!parsed.success) throw new Error('INVALID_ARGUMENTS: withDeadLetters is true or false.');
    const now = deps.now();
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const [orders, orders_, dead, redrive, deadLetters, running, failed] = await Promise.all([
      Promise.all(ORDER_STATUSES.map((s) => deps.ordersPlacedSince(s, since))).then((l) =>
        l.flat(),
      ),
      deps.queueDepth('orders'),
      deps.queueDepth('deadLetters'),
      deps.latestRedrive(),
      parsed.data.withDeadLetters ? deps.peekDeadLetters(DEAD_LETTERS_SHOWN) : null,
      deps.listExecutions('RUNNING', RUNNING_SHOWN),
      deps.listExecutions('FAILED', FAILED_EXECUTIONS_SHOWN),
    ]);
    return {
      generatedAt: now.toISOString(),
      counts: countByStatus(orders, now),
      failures: latestFailures(orders, FAILURES_SHOWN),
      queues: [
        { name: 'OrdersQueue', ...orders_ },
        { name: 'OrdersDeadLetterQueue', ...dead },
      ],
      deadLetters,
      redrive,
      executions: await Promise.all([...running, ...failed].map(withTimings)),
    };
  };

  const orderStory = async (args: unknown) => {
    const parsed = orderIdSchema.safeParse(args);
    if (!parsed.success) throw new Error('INVALID_ORDER: orderId is required (1-128 characters).');
    const order = await deps.findOrder(parsed.data.orderId);
    if (!order) return null;
    const window = orderLogWindow(order, deps.now());
    // The story is still told when the logs cannot be read; it says why they are missing.
    const logs = deps.orderLogs(order.id, window).then(
      (read) => ({ ...read, error: null }),
      (error: unknown) => ({
        lines: [],
        truncated: false,
        error: `${(error as Error).name}: ${(error as Error).message}`,
      }),
    );
    const execution = await deps.describeExecution(order.id);
    const history = execution ? await deps.executionHistory(execution.executionArn) : [];
    const { lines, truncated, error: logError } = await logs;
    return {
      orderId: order.id,
      status: order.status,
      failureCode: order.failureCode ?? null,
      failureReason: order.failureReason ?? null,
      statusHistory: order.statusHistory.map((h) => ({ ...h, note: h.note ?? null })),
      execution,
      steps: stepTimings(history),
      events: storyEvents(history),
      logLines: lines,
      logsFrom: window.from.toISOString(),
      logsTo: window.to.toISOString(),
      logLinesTruncated: truncated,
      logError,
    };
  };

  const redriveDeadLetters = async () => {
    await deps.startRedrive();
    return deps.latestRedrive();
  };

  return async (event: unknown) => {
    const { identity } = appSyncEventSchema.parse(event);
    const caller = cognitoIdentitySchema.safeParse(identity);
    if (!caller.success || !groupsOf(caller.data).includes('ADMINS'))
      throw new NotAnOperatorError();
    const field = z
      .object({ info: z.object({ fieldName: z.string() }), arguments: z.unknown() })
      .parse(event);
    switch (field.info.fieldName) {
      case 'operationsOverview':
        return overview(field.arguments);
      case 'orderStory':
        return orderStory(field.arguments);
      case 'redriveDeadLetters':
        return redriveDeadLetters();
      default:
        throw new Error(`operations has no field ${field.info.fieldName}`);
    }
  };
};

// ---- The dependencies, through the real SDKs (endpoints from AWS_ENDPOINT_URL_<SERVICE>). ----

const env = () =>
  readEnv([
    'ORDER_TABLE_NAME',
    'ORDERS_QUEUE_URL',
    'ORDERS_DLQ_URL',
    'ORDERS_DLQ_ARN',
    'ORDER_WORKFLOW_ARN',
    'ORDER_LOG_GROUPS',
  ]);

const iso = (date: Date | undefined): string => (date ?? new Date(0)).toISOString();

const summaryOf = (e: {
  executionArn?: string;
  name?: string;
  status?: string;
  startDate?: Date;
  stopDate?: Date;
}): ExecutionSummary => ({
  executionArn: e.executionArn ?? '',
  name: e.name ?? '',
  status: e.status ?? 'UNKNOWN',
  startedAt: iso(e.startDate),
  stoppedAt: e.stopDate ? iso(e.stopDate) : null,
});

const glimpseSchema = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string().nullish(),
  failureCode: z.string().nullish(),
  failureReason: z.string().nullish(),
});

// Only this function reads logs, so its client lives here rather than in shared/aws.ts.
const cloudWatchLogs = new CloudWatchLogsClient({});
void traceAwsClients(cloudWatchLogs);

const deps: OperationsDeps = {
  ordersPlacedSince: async (status, since) => {
    const found: OrderGlimpse[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({
          TableName: env().ORDER_TABLE_NAME,
          IndexName: ORDER_STATUS_INDEX,
          KeyConditionExpression: '#status = :status AND createdAt >= :since',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':since': since },
          ProjectionExpression: 'id, #status, createdAt, updatedAt, failureCode, failureReason',
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = glimpseSchema.safeParse(item);
        if (parsed.success) found.push(parsed.data);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  },
  findOrder: async (id) => {
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: env().ORDER_TABLE_NAME, Key: { id } }),
    );
    const parsed = glimpseSchema
      .extend({
        statusHistory: z.array(
          z.object({ status: z.enum(ORDER_STATUSES), at: z.string(), note: z.string().nullish() }),
        ),
      })
      .safeParse(Item);
    return parsed.success ? parsed.data : null;
  },
  queueDepth: async (queue) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue === 'orders' ? env().ORDERS_QUEUE_URL : env().ORDERS_DLQ_URL,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  },
  // A look, as the console's "poll for messages": visible again at once, receive count +1.
  peekDeadLetters: async (max) => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: env().ORDERS_DLQ_URL,
        MaxNumberOfMessages: max,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    return (Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      body: (m.Body ?? '').slice(0, 2000),
      sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    }));
  },
  // Back to the queue each message came from (OrdersQueue): no DestinationArn.
  startRedrive: async () => {
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: env().ORDERS_DLQ_ARN }));
  },
  latestRedrive: async () => {
    const { Results } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: env().ORDERS_DLQ_ARN, MaxResults: 1 }),
    );
    const task = Results?.[0];
    if (!task) return null;
    return {
      status: task.Status ?? 'UNKNOWN',
      moved: task.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task.ApproximateNumberOfMessagesToMove ?? 0,
      startedAt: new Date(task.StartedTimestamp ?? 0).toISOString(),
      failureReason: task.FailureReason ?? null,
    };
  },
  listExecutions: async (status, max) => {
    const { executions } = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: env().ORDER_WORKFLOW_ARN,
        statusFilter: status,
        maxResults: max,
      }),
    );
    return (executions ?? []).map(summaryOf);
  },
  // Executions are named by the order id (start-order-workflow).
  describeExecution: async (orderId) => {
    const machine = env().ORDER_WORKFLOW_ARN;
    const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${orderId}`;
    try {
      return summaryOf(await sfn.send(new DescribeExecutionCommand({ executionArn })));
    } catch (error) {
      if (
        error instanceof ExecutionDoesNotExist ||
        (error as Error).name === 'ExecutionDoesNotExist'
      )
        return null;
      throw error;
    }
  },
  executionHistory: async (executionArn) => {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  },
  orderLogs: (orderId, window) =>
    readOrderLogs(cloudWatchLogs, parseLogGroups(env().ORDER_LOG_GROUPS), orderId, window),
  now: () => new Date(),
};

/** AppSync resolver for operationsOverview, orderStory and redriveDeadLetters (ADMINS only). */
export const handler = observed(operationsWith(deps));
