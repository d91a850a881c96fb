import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { sfn } from '../shared/aws';
import { readEnv } from '../shared/env';
import { logger, observed } from '../shared/observability';

// Loose: the processor reads the records as SQS hands them (attributes, eventSource...).
const sqsEventSchema = z.object({
  Records: z.array(z.looseObject({ messageId: z.string(), body: z.string() })),
});

const messageSchema = z.object({ orderId: z.string().min(1).max(80) });

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Starts one execution named by the order id; already started counts as started. */
export type StartWorkflow = (orderId: string) => Promise<'started' | 'already-started'>;

/**
 * The consumer logic over its dependency, on Powertools' batch processor: every record is started
 * or reported as failed (the processor collects the failures into `batchItemFailures`). A batch
 * whose every record failed is reported as such, not thrown: SQS redelivers exactly those.
 */
export const startOrderWorkflowWith =
  (start: StartWorkflow) =>
  async (event: unknown): Promise<BatchResponse> => {
    const batch = sqsEventSchema.parse(event) as unknown as SQSEvent;
    const startOne = async (record: SQSRecord): Promise<void> => {
      try {
        const message = messageSchema.parse(JSON.parse(record.body));
        const outcome = await start(message.orderId);
        logger.info(`workflow ${outcome}`, {
          orderId: message.orderId,
          executionName: message.orderId,
        });
      } catch (error) {
        // A malformed body fails every receive and so reaches the DLQ after maxReceiveCount.
        logger.error(
          `Could not start the workflow for message ${record.messageId}`,
          error as Error,
        );
        throw error;
      }
    };
    return processPartialResponse(batch, startOne, new BatchProcessor(EventType.SQS), {
      throwOnFullBatchFailure: false,
    });
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
export const handler = observed(startOrderWorkflowWith(startExecution));
