'use client';

import { generateClient } from 'aws-amplify/data';
import type { Schema } from '@/amplify/data/resource';
import { fromThrown, toApiError, type GraphQLErrorLike } from './api-errors';

type DataClient = ReturnType<typeof generateClient<Schema>>;
let client: DataClient | null = null;
// Created lazily: generateClient must run after Amplify.configure. ADMINS sign in with the user pool.
const data = (): DataClient => (client ??= generateClient<Schema>({ authMode: 'userPool' }));

export type OperationsOverview = NonNullable<Schema['operationsOverview']['returnType']>;
export type OrderStory = NonNullable<Schema['orderStory']['returnType']>;
export type Redrive = NonNullable<Schema['redriveDeadLetters']['returnType']>;

const call = async <T>(
  run: () => Promise<{ data: T; errors?: readonly GraphQLErrorLike[] | undefined }>,
): Promise<T> => {
  try {
    const result = await run();
    if (result.errors?.length) throw toApiError(result.errors);
    return result.data;
  } catch (thrown) {
    throw fromThrown(thrown);
  }
};

/**
 * Counts, failures, queues and executions as the backend reads them now, and the dead letters
 * when `withDeadLetters` (each read adds one to every dead letter's receive count).
 */
export async function getOperationsOverview({
  withDeadLetters,
}: {
  withDeadLetters: boolean;
}): Promise<OperationsOverview> {
  const overview = await call(() => data().queries.operationsOverview({ withDeadLetters }));
  if (!overview) throw toApiError([{ message: 'INTERNAL: the overview came back empty' }]);
  return overview;
}

/** One order's status history and its execution's steps and events; null for an unknown order. */
export async function getOrderStory(orderId: string): Promise<OrderStory | null> {
  return (await call(() => data().queries.orderStory({ orderId }))) ?? null;
}

/** Moves every DLQ message back to OrdersQueue (an SQS message move task). */
export async function redriveDeadLetters(): Promise<Redrive | null> {
  return (await call(() => data().mutations.redriveDeadLetters())) ?? null;
}
