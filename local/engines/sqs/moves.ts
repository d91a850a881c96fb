/**
 * SQS message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask):
 * the dead-letter queue redrive an operator starts. As in SQS: the source must be the DLQ of
 * another queue, one task at a time per source, messages go to DestinationArn or back to the queue
 * each came from, at MaxNumberOfMessagesPerSecond when given. Tasks live in memory; the messages
 * they move are journaled like any other write.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SqsError, type QueueStore } from './queues';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  id: string;
  handle: string;
  sourceName: string;
  sourceArn: string;
  destinationArn?: string;
  rate?: number;
  status: MoveTaskStatus;
  startedAt: number;
  toMove: number;
  moved: number;
  pending: string[];
  failureReason?: string;
  timer?: NodeJS.Timeout;
}

/** Messages a task moves per second when the caller sets no rate ("system optimized"). */
const DEFAULT_RATE = 500;
/** ListMessageMoveTasks keeps the most recent tasks per source. */
const KEPT_PER_SOURCE = 10;

export const startMoveInput = z.object({
  SourceArn: z.string().min(1),
  DestinationArn: z.string().min(1).optional(),
  MaxNumberOfMessagesPerSecond: z.number().int().min(1).max(500).optional(),
});
export const listMovesInput = z.object({
  SourceArn: z.string().min(1),
  MaxResults: z.number().int().min(1).max(10).optional(),
});
export const cancelMoveInput = z.object({ TaskHandle: z.string().min(1) });

const notFound = (what: string) =>
  new SqsError(
    'ResourceNotFoundException',
    `The resource that you specified for the ${what} parameter doesn't exist.`,
  );

export class MessageMoves {
  private readonly tasks: MoveTask[] = [];

  constructor(private readonly store: QueueStore) {}

  private nameOfArn(arn: string, parameter: string): string {
    const parts = arn.split(':');
    const name = parts[5];
    if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || !name)
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${arn} for parameter ${parameter} is invalid. Reason: not a queue ARN.`,
      );
    if (!this.store.has(name) || this.store.arnOf(name) !== arn) throw notFound(parameter);
    return name;
  }

  start(input: z.infer<typeof startMoveInput>): { TaskHandle: string } {
    const sourceName = this.nameOfArn(input.SourceArn, 'SourceArn');
    const isDeadLetterQueue = this.store
      .names()
      .some(
        (name) =>
          this.store.get(name).attributes.RedrivePolicy?.deadLetterTargetArn === input.SourceArn,
      );
    if (!isDeadLetterQueue)
      throw new SqsError(
        'InvalidParameterValue',
        'Source queue must be configured as a Dead Letter Queue.',
      );
    if (input.DestinationArn !== undefined) {
      this.nameOfArn(input.DestinationArn, 'DestinationArn');
      if (input.DestinationArn === input.SourceArn)
        throw new SqsError(
          'InvalidParameterValue',
          'Source and destination queues must be different.',
        );
    }
    if (this.tasks.some((t) => t.sourceArn === input.SourceArn && t.status === 'RUNNING'))
      throw new SqsError(
        'UnsupportedOperation',
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
        'AWS.SimpleQueueService.UnsupportedOperation',
      );
    const id = randomUUID();
    const pending = this.store.messages(sourceName).map((m) => m.id);
    const task: MoveTask = {
      id,
      handle: Buffer.from(JSON.stringify({ taskId: id, sourceArn: input.SourceArn })).toString(
        'base64',
      ),
      sourceName,
      sourceArn: input.SourceArn,
      ...(input.DestinationArn ? { destinationArn: input.DestinationArn } : {}),
      ...(input.MaxNumberOfMessagesPerSecond ? { rate: input.MaxNumberOfMessagesPerSecond } : {}),
      status: 'RUNNING',
      startedAt: Date.now(),
      toMove: pending.length,
      moved: 0,
      pending,
    };
    this.tasks.push(task);
    const kept = this.tasks.filter((t) => t.sourceArn === task.sourceArn);
    for (const old of kept.slice(0, Math.max(0, kept.length - KEPT_PER_SOURCE)))
      this.tasks.splice(this.tasks.indexOf(old), 1);
    task.timer = setTimeout(() => this.tick(task), 0);
    return { TaskHandle: task.handle };
  }

  /** One second's worth of moves; messages in flight wait for their next turn. */
  private tick(task: MoveTask): void {
    delete task.timer;
    if (task.status !== 'RUNNING') return;
    try {
      let budget = task.rate ?? DEFAULT_RATE;
      const waiting: string[] = [];
      for (const id of task.pending) {
        if (budget <= 0) {
          waiting.push(id);
          continue;
        }
        const message = this.store.get(task.sourceName).messages.get(id);
        if (!message) continue; // deleted or expired meanwhile: nothing to move
        const destination = task.destinationArn ?? message.deadLetterSourceArn;
        if (!destination) {
          task.status = 'FAILED';
          task.failureReason = `Message ${id} has no source queue to return to; give a DestinationArn.`;
          return;
        }
        const target = destination.split(':').pop() ?? '';
        if (!this.store.has(target)) {
          task.status = 'FAILED';
          task.failureReason = `The destination queue ${destination} does not exist.`;
          return;
        }
        if (this.store.moveMessage(task.sourceName, id, target)) {
          task.moved += 1;
          budget -= 1;
        } else waiting.push(id);
      }
      task.pending = waiting;
    } catch (error) {
      task.status = 'FAILED';
      task.failureReason = error instanceof Error ? error.message : String(error);
      return;
    }
    if (task.pending.length === 0) task.status = 'COMPLETED';
    else task.timer = setTimeout(() => this.tick(task), 1000);
  }

  list(input: z.infer<typeof listMovesInput>) {
    this.nameOfArn(input.SourceArn, 'SourceArn');
    const results = this.tasks
      .filter((t) => t.sourceArn === input.SourceArn)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, input.MaxResults ?? 1)
      .map((t) => ({
        ...(t.status === 'RUNNING' ? { TaskHandle: t.handle } : {}),
        Status: t.status,
        SourceArn: t.sourceArn,
        ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
        ...(t.rate ? { MaxNumberOfMessagesPerSecond: t.rate } : {}),
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
        StartedTimestamp: t.startedAt,
      }));
    return { Results: results };
  }

  cancel(input: z.infer<typeof cancelMoveInput>): { ApproximateNumberOfMessagesMoved: number } {
    const task = this.tasks.find((t) => t.handle === input.TaskHandle);
    if (!task) throw new SqsError('ResourceNotFoundException', 'Task does not exist.');
    if (task.status !== 'RUNNING')
      throw new SqsError(
        'UnsupportedOperation',
        `Only a RUNNING task can be cancelled; this one is ${task.status}.`,
        'AWS.SimpleQueueService.UnsupportedOperation',
      );
    if (task.timer) clearTimeout(task.timer);
    delete task.timer;
    task.status = 'CANCELLED';
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  stop(): void {
    for (const task of this.tasks) if (task.timer) clearTimeout(task.timer);
  }
}
