import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderLine } from '../../domain/order';
import { dynamo, rethrowTransient } from './aws';

/*
 * Stock moves as one conditional UpdateItem per line on the Product table, each leaving (or
 * removing) a marker `reservations.<orderId> = quantity` on the product, so a line is taken or
 * given back at most once per order without transactions.
 */

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

// SET on reservations.<id> fails when the map itself is missing (a product never reserved).
const isMissingMap = (error: unknown): boolean =>
  error instanceof Error &&
  error.name === 'ValidationException' &&
  /document path/i.test(error.message);

const ensureReservationsMap = async (tableName: string, productId: string): Promise<void> => {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { id: productId },
        UpdateExpression: 'SET reservations = :empty',
        ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(reservations)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error))
      rethrowTransient(`preparing product ${productId} for reservations`, error);
  }
};

export type TakeResult = 'taken' | 'already-taken' | 'short';

/** Takes `quantity` of a product for an order: taken, already taken by this order, or not enough. */
export const takeStock = async (
  tableName: string,
  orderId: string,
  line: Pick<OrderLine, 'productId' | 'quantity'>,
): Promise<TakeResult> => {
  const command = new UpdateCommand({
    TableName: tableName,
    Key: { id: line.productId },
    UpdateExpression: 'SET stock = stock - :q, reservations.#order = :q',
    ConditionExpression:
      'attribute_exists(id) AND stock >= :q AND attribute_not_exists(reservations.#order)',
    ExpressionAttributeNames: { '#order': orderId },
    ExpressionAttributeValues: { ':q': line.quantity },
  });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await dynamo.send(command);
      return 'taken';
    } catch (error) {
      if (isConditionFailure(error)) {
        // Either this order already holds its marker (a retry) or the stock is short.
        return (await hasReservation(tableName, orderId, line.productId))
          ? 'already-taken'
          : 'short';
      }
      if (attempt === 0 && isMissingMap(error)) {
        await ensureReservationsMap(tableName, line.productId);
        continue;
      }
      rethrowTransient(`taking stock of ${line.productId}`, error);
    }
  }
  return 'short';
};

/** Gives back what this order took of a product (per its marker); false when it took nothing. */
export const giveBackStock = async (
  tableName: string,
  orderId: string,
  line: Pick<OrderLine, 'productId' | 'quantity'>,
): Promise<boolean> => {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { id: line.productId },
        UpdateExpression: 'SET stock = stock + :q REMOVE reservations.#order',
        ConditionExpression: 'reservations.#order = :q',
        ExpressionAttributeNames: { '#order': orderId },
        ExpressionAttributeValues: { ':q': line.quantity },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    return rethrowTransient(`giving back stock of ${line.productId}`, error);
  }
};

/** Removes this order's marker from a product once the order is done (the stock stays taken). */
export const pruneReservation = async (
  tableName: string,
  orderId: string,
  productId: string,
): Promise<void> => {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { id: productId },
        UpdateExpression: 'REMOVE reservations.#order',
        ConditionExpression: 'attribute_exists(reservations.#order)',
        ExpressionAttributeNames: { '#order': orderId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error))
      rethrowTransient(`pruning the reservation on ${productId}`, error);
  }
};

const hasReservation = async (
  tableName: string,
  orderId: string,
  productId: string,
): Promise<boolean> => {
  try {
    const got = await dynamo.send(
      new GetCommand({
        TableName: tableName,
        Key: { id: productId },
        ProjectionExpression: 'reservations.#order',
        ExpressionAttributeNames: { '#order': orderId },
        ConsistentRead: true,
      }),
    );
    const reservations = (got.Item as { reservations?: Record<string, unknown> } | undefined)
      ?.reservations;
    return Boolean(reservations && orderId in reservations);
  } catch (error) {
    return rethrowTransient(`reading the reservation on ${productId}`, error);
  }
};
