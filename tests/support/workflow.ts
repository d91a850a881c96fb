/**
 * The operator's view of the saga: OrdersQueue and its DLQ (depth, raw messages) through the SQS
 * SDK, and the executions of the order workflow through the Step Functions SDK.
 */
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { Backend } from './backend';
import { signedFetch } from './signed-fetch';

/** Messages waiting plus in flight on a queue. */
export async function queueDepth(
  backend: Backend,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await backend.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

export async function sendToQueue(
  backend: Backend,
  queueUrl: string,
  body: string,
): Promise<string> {
  const sent = await backend.sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }),
  );
  return sent.MessageId ?? '';
}

/** Sets a queue's visibility timeout; returns the one it had, to put back afterwards. */
export async function setVisibilityTimeout(
  backend: Backend,
  queueUrl: string,
  seconds: number,
): Promise<number> {
  const { Attributes = {} } = await backend.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );
  await backend.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: { VisibilityTimeout: String(seconds) },
    }),
  );
  return Number(Attributes.VisibilityTimeout);
}

/** Takes visible messages off a queue (each becomes invisible for `visibilitySeconds`). */
export async function receiveFromQueue(
  backend: Backend,
  queueUrl: string,
  visibilitySeconds = 30,
): Promise<{ body: string; receiveCount: number }[]> {
  const { Messages = [] } = await backend.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibilitySeconds,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages.map((m) => ({
    body: m.Body ?? '',
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
  }));
}

/** Executions of the order workflow named by this order id (the name is the order id). */
export async function executionsFor(
  backend: Backend,
  orderId: string,
): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await backend.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: backend.orderWorkflowArn,
        maxResults: 1000,
        nextToken,
      }),
    );
    all.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all.filter((e) => e.name === orderId);
}

/** The execution of an order: status, and the error/cause of a failed one; null when none. */
export async function describeOrderExecution(backend: Backend, orderId: string) {
  const executionArn = backend.orderWorkflowArn
    .replace(':stateMachine:', ':execution:')
    .concat(`:${orderId}`);
  try {
    return await backend.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return null;
    throw error;
  }
}

/** What the local SNS published about an order (OrderEvents, OrderErrors), oldest first. */
export async function topicMessagesAbout(
  backend: Backend,
  orderId: string,
): Promise<{ topicArn: string; subject?: string; message: string }[]> {
  // The local SNS's test hook (LOCAL_TEST_HOOKS=1), signed like any SNS request.
  const response = await signedFetch(`${backend.endpoints.sns}/_local/messages`, {
    service: 'sns',
  });
  const all = (await response.json()) as { topicArn: string; subject?: string; message: string }[];
  return all.filter((m) => JSON.stringify(m).includes(orderId));
}

/** Waits until the order's execution has left RUNNING (the order's last update comes just before). */
export async function waitForExecutionEnd(backend: Backend, orderId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await describeOrderExecution(backend, orderId);
    if (execution && execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline)
      throw new Error(
        `The execution of order ${orderId} is still ${execution?.status ?? 'missing'}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
