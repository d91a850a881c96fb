import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { sfn } from '../shared/aws';
import { readEnv } from '../shared/env';

const sqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() })),
});

const messageSchema = z.object({ orderId: z.string().min(1).max(80) });

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Starts one execution named by the order id; already started counts as started. */
export type StartWorkflow = (orderId: string) => Promise<'started' | 'already-started'>;

/** The consumer logic over its dependency: every record is started or reported as failed. */
export const startOrderWorkflowWith =
  (start: StartWorkflow) =>
  async (event: unknown): Promise<BatchResponse> => {
    const { Records } = sqsEventSchema.parse(event);
    const failures: { itemIdentifier: string }[] = [];
    await Promise.all(
      Records.map(async (record) => {
        try {
          const message = messageSchema.parse(JSON.parse(record.body));
          await start(message.orderId);
        } catch (error) {
          // A malformed body fails every receive and so reaches the DLQ after maxReceiveCount.
          console.error(`Could not start the workflow for message ${record.messageId}`, error);
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures };
  };

const startExecution: StartWorkflow = async (orderId) => {
  const { ORDER_WORKFLOW_ARN } = readEnv(['ORDER_WORKFLOW_ARN']);
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: ORDER_WORKFLOW_ARN,
        name: orderId,
        input: JSON.stringify({ orderId }),
      }),
    );
    return 'started';
  } catch (error) {
    if (
      error instanceof ExecutionAlreadyExists ||
      (error as Error).name === 'ExecutionAlreadyExists'
    ) {
      return 'already-started';
    }
    throw error;
  }
};

/** OrdersQueue consumer: starts the order workflow named by each order id, reporting failed records for redelivery. */
export const handler = startOrderWorkflowWith(startExecution);
