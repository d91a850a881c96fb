import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, rethrowTransient } from './aws';
import { readEnv } from './env';

/*
 * The BankWaits table: one item per PaymentIntent whose execution waits on the shopper's bank
 * (`pk` = `wait#<pi>`: the task token), and one per Stripe event the webhook has handled
 * (`pk` = `event#<evt>`), both expiring by TTL. The webhook finds a wait by the intent's id alone.
 */

/** An execution waiting on the shopper's bank, found by its PaymentIntent. */
export interface BankWait {
  paymentIntentId: string;
  orderId: string;
  taskToken: string;
}

/** Where the waits and the handled events are kept; tests pass an in-memory one. */
export interface BankWaits {
  keep(wait: BankWait, expiresAt: Date): Promise<void>;
  find(paymentIntentId: string): Promise<BankWait | null>;
  /** Removes the wait only if it still holds this token (a newer wait keeps its own). */
  forget(wait: BankWait): Promise<void>;
  /** Claims an event id; false when it was claimed before (a replayed delivery). */
  claimEvent(eventId: string, expiresAt: Date): Promise<boolean>;
  /** Gives a claim back, so that Stripe's next delivery of a failed event is handled. */
  releaseEvent(eventId: string): Promise<void>;
}

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);
const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export const dynamoBankWaits = (): BankWaits => {
  const { BANK_WAITS_TABLE_NAME: TableName } = readEnv(['BANK_WAITS_TABLE_NAME']);
  const send = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      return rethrowTransient(what, error);
    }
  };
  return {
    keep: (wait, expiresAt) =>
      send('keeping the bank wait', async () => {
        await dynamo.send(
          new PutCommand({
            TableName,
            Item: { pk: `wait#${wait.paymentIntentId}`, ...wait, expiresAt: epoch(expiresAt) },
          }),
        );
      }),
    find: (paymentIntentId) =>
      send('reading the bank wait', async () => {
        const { Item } = await dynamo.send(
          new GetCommand({
            TableName,
            Key: { pk: `wait#${paymentIntentId}` },
            ConsistentRead: true,
          }),
        );
        if (!Item) return null;
        return {
          paymentIntentId,
          orderId: String(Item['orderId']),
          taskToken: String(Item['taskToken']),
        };
      }),
    forget: (wait) =>
      send('forgetting the bank wait', async () => {
        try {
          await dynamo.send(
            new DeleteCommand({
              TableName,
              Key: { pk: `wait#${wait.paymentIntentId}` },
              ConditionExpression: 'taskToken = :token',
              ExpressionAttributeValues: { ':token': wait.taskToken },
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }),
    claimEvent: (eventId, expiresAt) =>
      send('claiming the Stripe event', async () => {
        try {
          await dynamo.send(
            new PutCommand({
              TableName,
              Item: { pk: `event#${eventId}`, expiresAt: epoch(expiresAt) },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      }),
    releaseEvent: (eventId) =>
      send('releasing the Stripe event', async () => {
        await dynamo.send(new DeleteCommand({ TableName, Key: { pk: `event#${eventId}` } }));
      }),
  };
};
