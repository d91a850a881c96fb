import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../data/resource';
import { TransientError } from '../../domain/errors';
import { s3 } from './aws';

/** The one capability the functions use: hand-written documents (full selection sets) with IAM. */
interface DataClient {
  graphql(options: {
    query: string;
    variables: Record<string, unknown>;
    authMode: 'iam';
  }): Promise<unknown>;
}

let client: Promise<DataClient> | undefined;

/**
 * The Amplify data client (IAM), configured once per container as Amplify Gen 2 documents:
 * getAmplifyDataClientConfig reads the model introspection schema from its bucket (through our S3
 * client, so a local endpoint works too) and the function's credentials from the environment.
 */
export const dataClient = (): Promise<DataClient> => {
  client ??= (async () => {
    const env = process.env;
    const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(
      {
        ...env,
        AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? '',
        AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? '',
        AWS_SESSION_TOKEN: env.AWS_SESSION_TOKEN ?? '',
        AWS_REGION: env.AWS_REGION ?? 'us-east-1',
        AMPLIFY_DATA_DEFAULT_NAME: env.AMPLIFY_DATA_DEFAULT_NAME ?? '',
      },
      s3,
    );
    Amplify.configure(resourceConfig, libraryOptions);
    // The typed model API is not used (documents are written by hand), so only graphql() is kept.
    return generateClient<Schema>() as unknown as DataClient;
  })().catch((error: unknown) => {
    client = undefined;
    throw error;
  });
  return client;
};

export interface GraphQLErrorEntry {
  message: string;
  errorType?: string | null;
}

/** A GraphQL request answered with errors. */
export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorEntry[];

  constructor(operation: string, errors: GraphQLErrorEntry[], options?: { cause?: unknown }) {
    super(
      `${operation} failed: ${errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message}`).join('; ')}`,
      options,
    );
    this.name = 'GraphQLRequestError';
    this.errors = errors;
  }

  /** True when the write's condition did not hold (DynamoDB:ConditionalCheckFailedException). */
  get isConditionFailure(): boolean {
    return this.errors.some((e) =>
      /ConditionalCheckFailed/.test(`${e.errorType ?? ''} ${e.message}`),
    );
  }

  get isRetryable(): boolean {
    return this.errors.some((e) =>
      /Throughput|Throttl|TooManyRequests|InternalFailure|ServiceUnavailable|Timeout|ConnectionFailure/i.test(
        `${e.errorType ?? ''}`,
      ),
    );
  }
}

const operationName = (query: string): string =>
  /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'GraphQL request';

/**
 * Runs a hand-written GraphQL document with IAM auth and returns its data. Answers with errors
 * become GraphQLRequestError; no answer at all (network) or a throttled one becomes TransientError.
 */
export const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
  const operation = operationName(query);
  const api = await dataClient();
  let result: { data?: unknown; errors?: readonly GraphQLErrorEntry[] };
  try {
    result = (await api.graphql({ query, variables, authMode: 'iam' })) as typeof result;
  } catch (caught) {
    // aws-amplify throws the whole result when it carries errors.
    const errors = (caught as { errors?: GraphQLErrorEntry[] } | null)?.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const error = new GraphQLRequestError(operation, errors, { cause: caught });
      if (error.isRetryable) throw new TransientError(error.message, { cause: error });
      throw error;
    }
    throw new TransientError(
      `${operation} got no answer: ${(caught as Error)?.message ?? String(caught)}`,
      {
        cause: caught,
      },
    );
  }
  if (result.errors && result.errors.length > 0) {
    throw new GraphQLRequestError(operation, [...result.errors]);
  }
  return result.data as T;
};
