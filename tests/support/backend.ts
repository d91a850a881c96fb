/**
 * A running local backend as tests and benchmarks see it: the AWS SDK clients pointed at its
 * engines, and the resources they find there (tables, queues, state machine), all derived from its
 * amplify_outputs.json (`custom.local` lists every engine's endpoint).
 */
import { readFileSync } from 'node:fs';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'LOCALACCESSKEY',
  secretAccessKey: 'localsecretkey',
} as const;

/**
 * A port for an engine a test starts on its own, above the ports the shared backend of this run
 * uses (its base + 0..25), so runs on different LOCAL_PORT_BASEs never collide.
 */
export const ownEnginePort = (offset: number): number =>
  Number(process.env['LOCAL_PORT_BASE'] ?? 4600) + 40 + offset;

/** What an AWS SDK client needs to reach one local engine: its URL, the region, the credentials. */
export const localEndpoint = (endpoint: string | undefined) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});

const outputsSchema = z.object({
  auth: z.object({ user_pool_id: z.string(), user_pool_client_id: z.string() }),
  data: z.object({ url: z.string(), api_key: z.string() }),
  custom: z.object({
    local: z.object({
      graphql: z.string(),
      realtime: z.string(),
      cognito: z.string(),
      dynamodb: z.string(),
      s3: z.string(),
      mailbox: z.string(),
      sqs: z.string(),
      sns: z.string(),
      stepfunctions: z.string(),
      stripe: z.string(),
      ssm: z.string(),
      ses: z.string(),
    }),
  }),
});

/** The parts of amplify_outputs.json the helpers read. */
export type LocalOutputs = z.infer<typeof outputsSchema>;

export interface Backend {
  /** amplify_outputs.json as written (hand it to Amplify.configure). */
  outputs: Record<string, unknown>;
  endpoints: LocalOutputs['custom']['local'];
  userPoolId: string;
  userPoolClientId: string;
  apiKey: string;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sfn: SFNClient;
  cognito: CognitoIdentityProviderClient;
  productTable: string;
  orderTable: string;
  ordersQueueUrl: string;
  deadLetterQueueUrl: string;
  orderWorkflowArn: string;
  /** Stops the SDK clients' sockets. */
  close(): void;
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});

const one = <T>(items: readonly T[], what: string): T => {
  if (items.length !== 1 || items[0] === undefined)
    throw new Error(`Expected one ${what} on the local backend, found ${items.length}`);
  return items[0];
};

/** Connects to the local backend described by an amplify_outputs.json object or file path. */
export async function connectBackend(outputs: Record<string, unknown> | string): Promise<Backend> {
  const raw =
    typeof outputs === 'string'
      ? (JSON.parse(readFileSync(outputs, 'utf8')) as Record<string, unknown>)
      : outputs;
  const parsed = outputsSchema.parse(raw);
  const endpoints = parsed.custom.local;
  const dynamodb = new DynamoDBClient(clientConfig(endpoints.dynamodb));
  const sqs = new SQSClient(clientConfig(endpoints.sqs));
  const sfn = new SFNClient(clientConfig(endpoints.stepfunctions));
  const cognito = new CognitoIdentityProviderClient(clientConfig(endpoints.cognito));

  const tables = (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
  const queues = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
  const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
  return {
    outputs: raw,
    endpoints,
    userPoolId: parsed.auth.user_pool_id,
    userPoolClientId: parsed.auth.user_pool_client_id,
    apiKey: parsed.data.api_key,
    dynamodb,
    sqs,
    sfn,
    cognito,
    productTable: one(
      tables.filter((t) => t.startsWith('Product-')),
      'Product table',
    ),
    orderTable: one(
      tables.filter((t) => t.startsWith('Order-')),
      'Order table',
    ),
    ordersQueueUrl: one(
      queues.filter((q) => /OrdersQueue/.test(q) && !/DeadLetter/.test(q)),
      'OrdersQueue',
    ),
    deadLetterQueueUrl: one(
      queues.filter((q) => /OrdersDeadLetterQueue/.test(q)),
      'OrdersDeadLetterQueue',
    ),
    orderWorkflowArn: one(
      machines.filter((m) => /OrderWorkflow/.test(m.name ?? '')),
      'order workflow',
    ).stateMachineArn as string,
    close() {
      for (const client of [dynamodb, sqs, sfn, cognito]) client.destroy();
    },
  };
}
