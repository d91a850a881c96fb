import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../domain/errors';
import { traceAwsClients } from './tracing';

/*
 * Module-scope AWS clients, created once per Lambda container. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> settings, so the same code reaches AWS or the local engines.
 */

const dynamoClient = new DynamoDBClient({});
export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});

// Path-style addressing and checksums only when required: the local S3 engine (and any
// S3-compatible store) stores stream bodies intact only with these.
export const s3 = new S3Client({
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

export const sqs = new SQSClient({});
export const sfn = new SFNClient({});
export const sns = new SNSClient({});
export const ses = new SESv2Client({});
export const cognito = new CognitoIdentityProviderClient({});

// X-Ray subsegments around every AWS call, where tracing is on (tracing.ts); the document client
// shares its DynamoDB client's middleware, so tracing that client traces both.
void traceAwsClients(dynamoClient, s3, sqs, sfn, sns, ses, cognito);

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'SlowDown',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** True for an AWS SDK (or network) error a retry may cure. */
export const isRetryableAwsError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const meta = error as Error & {
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  if (meta.$retryable) return true;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const status = meta.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP status at all: the request never got an answer (refused, reset, DNS).
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(
      meta.code ?? '',
    ) ||
    error.name === 'AbortError' ||
    /fetch failed|socket hang up/i.test(error.message)
  );
};

/** Rethrows a retryable dependency failure as TransientError (retried by the workflow); others as they are. */
export const rethrowTransient = (what: string, error: unknown): never => {
  if (isRetryableAwsError(error)) {
    throw new TransientError(`${what} failed: ${(error as Error).message}`, { cause: error });
  }
  throw error;
};
