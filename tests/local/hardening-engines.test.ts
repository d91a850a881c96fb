/**
 * Hardening: the local AWS engines refuse what AWS refuses. Every AWS API call needs a valid
 * SigV4 signature with the local credentials (unsigned, a wrong secret, an unknown key, a
 * signature for another service, a tampered body); the test hooks want one too; the receipts
 * bucket serves nobody anonymous. Each refusal leaves the backend answering and nothing written.
 */
import { createHash } from 'node:crypto';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localS3Client } from '../../local/engines/s3';
import { backendAnswers, itemCount } from '../support/attack';
import { connectBackend, LOCAL_CREDENTIALS, LOCAL_REGION, type Backend } from '../support/backend';
import { armedFunctionFaults } from '../support/faults';
import { STRIPE_SECRET_PARAMETER } from '../support/payments';
import { signedFetch, signedHeaders } from '../support/signed-fetch';

let backend: Backend;
let bucket: string;
let receiptKey: string;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  const storage = (backend.outputs['storage'] ?? {}) as { bucket_name?: string };
  bucket = storage.bucket_name ?? '';
  expect(bucket).not.toBe('');
  receiptKey = `receipts/hardening-${Date.now()}.pdf`;
  const s3 = localS3Client(backend.endpoints.s3, LOCAL_REGION, LOCAL_CREDENTIALS);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: receiptKey, Body: '%PDF-1.4 secret receipt' }),
  );
  s3.destroy();
});

afterAll(() => backend?.close());

/** A JSON-protocol call as the SDK would make it, minus the signature. */
interface EngineCall {
  engine: 'sqs' | 'sns' | 'stepfunctions' | 'ssm' | 'ses' | 'dynamodb' | 'cognito';
  service: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What must not be in any refusal (a secret the call would read). */
  secret?: RegExp;
}

const json = (target: string, body: object, type = 'application/x-amz-json-1.0') => ({
  headers: { 'content-type': type, 'x-amz-target': target },
  body: JSON.stringify(body),
});

const CALLS: [string, EngineCall][] = [
  [
    'SSM GetParameter of the Stripe secret',
    {
      engine: 'ssm',
      service: 'ssm',
      path: '/',
      ...json(
        'AmazonSSM.GetParameter',
        { Name: STRIPE_SECRET_PARAMETER, WithDecryption: true },
        'application/x-amz-json-1.1',
      ),
      secret: /sk_test/,
    },
  ],
  [
    'SSM GetParametersByPath',
    {
      engine: 'ssm',
      service: 'ssm',
      path: '/',
      ...json(
        'AmazonSSM.GetParametersByPath',
        { Path: '/', Recursive: true },
        'application/x-amz-json-1.1',
      ),
    },
  ],
  [
    'SQS ListQueues',
    { engine: 'sqs', service: 'sqs', path: '/', ...json('AmazonSQS.ListQueues', {}) },
  ],
  [
    'SQS SendMessage to the orders queue',
    {
      engine: 'sqs',
      service: 'sqs',
      path: '/',
      ...json('AmazonSQS.SendMessage', { QueueUrl: 'QUEUE', MessageBody: '{"orderId":"x"}' }),
    },
  ],
  [
    'SQS ReceiveMessage from the orders queue',
    {
      engine: 'sqs',
      service: 'sqs',
      path: '/',
      ...json('AmazonSQS.ReceiveMessage', { QueueUrl: 'QUEUE', MaxNumberOfMessages: 10 }),
    },
  ],
  [
    'SNS ListTopics',
    {
      engine: 'sns',
      service: 'sns',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListTopics&Version=2010-03-31',
    },
  ],
  [
    'SNS Publish',
    {
      engine: 'sns',
      service: 'sns',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3AOrderEvents&Message=hi',
    },
  ],
  [
    'Step Functions ListStateMachines',
    {
      engine: 'stepfunctions',
      service: 'states',
      path: '/',
      ...json('AWSStepFunctions.ListStateMachines', {}),
    },
  ],
  [
    'Step Functions StartExecution',
    {
      engine: 'stepfunctions',
      service: 'states',
      path: '/',
      ...json('AWSStepFunctions.StartExecution', { stateMachineArn: 'MACHINE', input: '{}' }),
    },
  ],
  [
    'SES SendEmail',
    {
      engine: 'ses',
      service: 'ses',
      path: '/v2/email/outbound-emails',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        FromEmailAddress: 'orders@shop.example.com',
        Destination: { ToAddresses: ['victim@example.com'] },
        Content: {
          Simple: { Subject: { Data: 'Your order' }, Body: { Text: { Data: 'click here' } } },
        },
      }),
    },
  ],
  [
    'DynamoDB ListTables',
    {
      engine: 'dynamodb',
      service: 'dynamodb',
      path: '/',
      ...json('DynamoDB_20120810.ListTables', {}),
    },
  ],
  [
    'DynamoDB Scan of the Order table',
    {
      engine: 'dynamodb',
      service: 'dynamodb',
      path: '/',
      ...json('DynamoDB_20120810.Scan', { TableName: 'ORDER_TABLE' }),
    },
  ],
  [
    'Lambda fault hook: arm a fault',
    {
      engine: 'ssm',
      service: 'lambda',
      path: '/_local/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ functionName: 'placeOrder', count: 1000, errorName: 'Sabotage' }),
    },
  ],
  [
    'Cognito AdminCreateUser',
    {
      engine: 'cognito',
      service: 'cognito-idp',
      path: '/',
      ...json(
        'AWSCognitoIdentityProviderService.AdminCreateUser',
        { UserPoolId: 'POOL', Username: 'intruder@example.com' },
        'application/x-amz-json-1.1',
      ),
    },
  ],
];

const resolve = (call: EngineCall): EngineCall => {
  const fill = (s: string) =>
    s
      .replace('QUEUE', backend.ordersQueueUrl)
      .replace('MACHINE', backend.orderWorkflowArn)
      .replace('ORDER_TABLE', backend.orderTable)
      .replace('POOL', backend.userPoolId);
  return { ...call, body: fill(call.body) };
};

const urlOf = (call: EngineCall) => `${backend.endpoints[call.engine]}${call.path}`;

/** Sends the call with these headers added; answers status and text. */
async function send(call: EngineCall, extra: Record<string, string>) {
  const response = await fetch(urlOf(call), {
    method: 'POST',
    headers: { ...call.headers, ...extra },
    body: call.body,
  });
  return { status: response.status, text: await response.text() };
}

const sign = (call: EngineCall, over: Partial<{ service: string; secret: string; key: string }>) =>
  signedHeaders(urlOf(call), {
    method: 'POST',
    service: over.service ?? call.service,
    headers: call.headers,
    body: call.body,
    credentials: {
      accessKeyId: over.key ?? LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: over.secret ?? LOCAL_CREDENTIALS.secretAccessKey,
    },
  }).then(({ host: _host, ...headers }) => headers);

const REFUSED =
  /signature we calculated|MissingAuthentication|IncompleteSignature|InvalidSignature|SignatureDoesNotMatch|UnrecognizedClient|InvalidClientTokenId|Credential should be scoped/;

describe('hardening: unsigned and badly signed calls to every AWS engine are refused', () => {
  let ordersBefore: number;
  let queued: number;
  beforeAll(async () => {
    ordersBefore = await itemCount(backend, backend.orderTable);
    queued = await queueSize();
  });

  async function queueSize(): Promise<number> {
    const attributes = await backend.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: backend.ordersQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  it.each(CALLS)('%s, unsigned', async (_name, raw) => {
    const call = resolve(raw);
    const answer = await send(call, {});
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).toMatch(/MissingAuthentication|Missing Authentication Token/);
    if (call.secret) expect(answer.text).not.toMatch(call.secret);
  });

  it.each(CALLS)('%s, signed with a wrong secret', async (_name, raw) => {
    const call = resolve(raw);
    const answer = await send(call, await sign(call, { secret: 'not-the-local-secret' }));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).toMatch(REFUSED);
    if (call.secret) expect(answer.text).not.toMatch(call.secret);
  });

  it.each(CALLS)('%s, signed by an access key nobody issued', async (_name, raw) => {
    const call = resolve(raw);
    const answer = await send(call, await sign(call, { key: 'AKIAINTRUDER' }));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.text).toMatch(/UnrecognizedClient|InvalidClientTokenId|security token/);
  });

  it.each(CALLS)('%s, signed for another service', async (_name, raw) => {
    const call = resolve(raw);
    const answer = await send(call, await sign(call, { service: 'iam' }));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.text).toMatch(/scoped to correct service/);
  });

  it.each(CALLS)('%s, validly signed but with the body changed afterwards', async (_name, raw) => {
    const call = resolve(raw);
    const headers = await sign(call, {});
    const tampered = { ...call, body: `${call.body} ` };
    const answer = await send(tampered, headers);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.text).toMatch(/InvalidSignature|SignatureDoesNotMatch|signature we calculated/);
  });

  it.each([
    ['SQS', () => new SQSClient(bad(backend.endpoints.sqs)).send(new ListQueuesCommand({}))],
    ['SNS', () => new SNSClient(bad(backend.endpoints.sns)).send(new ListTopicsCommand({}))],
    [
      'Step Functions',
      () =>
        new SFNClient(bad(backend.endpoints.stepfunctions)).send(new ListStateMachinesCommand({})),
    ],
    [
      'SSM',
      () =>
        new SSMClient(bad(backend.endpoints.ssm)).send(
          new GetParameterCommand({ Name: STRIPE_SECRET_PARAMETER, WithDecryption: true }),
        ),
    ],
    [
      'SES',
      () =>
        new SESv2Client(bad(backend.endpoints.ses)).send(
          new SendEmailCommand({
            FromEmailAddress: 'orders@shop.example.com',
            Destination: { ToAddresses: ['victim@example.com'] },
            Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'y' } } } },
          }),
        ),
    ],
    [
      'DynamoDB',
      () => new DynamoDBClient(bad(backend.endpoints.dynamodb)).send(new ListTablesCommand({})),
    ],
  ])('the AWS SDK with a wrong secret is refused by %s', async (_name, call) => {
    await expect(call()).rejects.toMatchObject({
      $metadata: { httpStatusCode: expect.any(Number) },
    });
    await call().catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      expect(error.$metadata?.httpStatusCode).toBeGreaterThanOrEqual(400);
      expect(`${error.name} ${error.message}`).toMatch(REFUSED);
    });
  });

  it('the SNS message log (a test hook) is signed-only too', async () => {
    const unsigned = await fetch(`${backend.endpoints.sns}/_local/messages`);
    expect(unsigned.status).toBe(403);
    const signed = await signedFetch(`${backend.endpoints.sns}/_local/messages`, {
      service: 'sns',
    });
    expect(signed.status).toBe(200);
  });

  it('wrote nothing: no fault armed, no order, nothing queued, and every engine still answers', async () => {
    expect(await armedFunctionFaults(backend)).toEqual([]);
    expect(await itemCount(backend, backend.orderTable)).toBe(ordersBefore);
    expect(await queueSize()).toBe(queued);
    expect(await backendAnswers(backend)).toBe(true);
  });
});

const bad = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' },
  maxAttempts: 1,
});

describe('hardening: the receipts bucket serves no anonymous request', () => {
  const s3url = (path: string) => `${backend.endpoints.s3}/${path}`;
  const ACCESS_DENIED = /<Code>AccessDenied<\/Code>/;

  it.each([
    ['GET of a receipt', 'GET', () => s3url(`${bucket}/${receiptKey}`)],
    ['HEAD of a receipt', 'HEAD', () => s3url(`${bucket}/${receiptKey}`)],
    ['ListObjectsV2 of every receipt key', 'GET', () => s3url(`${bucket}?list-type=2`)],
    ['ListObjects (v1)', 'GET', () => s3url(`${bucket}`)],
    ['ListBuckets', 'GET', () => s3url('')],
    ['PUT of a forged receipt', 'PUT', () => s3url(`${bucket}/${receiptKey}`)],
    ['PUT of a new object', 'PUT', () => s3url(`${bucket}/receipts/forged.pdf`)],
    ['DELETE of a receipt', 'DELETE', () => s3url(`${bucket}/${receiptKey}`)],
    ['DELETE of the bucket', 'DELETE', () => s3url(bucket)],
    ['GET of the bucket policy', 'GET', () => s3url(`${bucket}?policy`)],
  ])('%s gets 403 AccessDenied', async (_name, method, url) => {
    const response = await fetch(url(), {
      method,
      ...(method === 'PUT' ? { body: 'forged' } : {}),
    });
    expect(response.status).toBe(403);
    if (method !== 'HEAD') expect(await response.text()).toMatch(ACCESS_DENIED);
  });

  it('a presigned link with its signature stripped off is refused', async () => {
    const s3 = localS3Client(backend.endpoints.s3, LOCAL_REGION, LOCAL_CREDENTIALS);
    const link = new URL(
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: receiptKey }), {
        expiresIn: 60,
      }),
    );
    s3.destroy();
    expect((await fetch(link)).status).toBe(200);
    for (const name of [...link.searchParams.keys()]) {
      if (name.startsWith('X-Amz-')) link.searchParams.delete(name);
    }
    const stripped = await fetch(link);
    expect(stripped.status).toBe(403);
    expect(await stripped.text()).toMatch(ACCESS_DENIED);
  });

  it.each([
    ['another key', (u: URL) => (u.pathname = u.pathname.replace(/[^/]+$/, 'other.pdf'))],
    ['a longer expiry', (u: URL) => u.searchParams.set('X-Amz-Expires', '604800')],
    ['a forged signature', (u: URL) => u.searchParams.set('X-Amz-Signature', 'ab'.repeat(32))],
  ])('a presigned link tampered to %s is refused', async (_name, tamper) => {
    const s3 = localS3Client(backend.endpoints.s3, LOCAL_REGION, LOCAL_CREDENTIALS);
    const link = new URL(
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: receiptKey }), {
        expiresIn: 60,
      }),
    );
    s3.destroy();
    tamper(link);
    expect((await fetch(link)).status).toBe(403);
  });

  it.each([
    [
      'ListObjectsV2',
      (s3: ReturnType<typeof localS3Client>) =>
        s3.send(new ListObjectsV2Command({ Bucket: bucket })),
    ],
    [
      'PutObject',
      (s3: ReturnType<typeof localS3Client>) =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'receipts/forged.pdf', Body: 'x' })),
    ],
    [
      'DeleteObject',
      (s3: ReturnType<typeof localS3Client>) =>
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: receiptKey })),
    ],
  ])('the S3 SDK with a wrong secret is refused (%s)', async (_name, call) => {
    const s3 = localS3Client(backend.endpoints.s3, LOCAL_REGION, {
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: 'wrong-secret',
    });
    await expect(call(s3)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    s3.destroy();
  });

  it('the receipt is still there, unchanged, for a signed caller', async () => {
    const s3 = localS3Client(backend.endpoints.s3, LOCAL_REGION, LOCAL_CREDENTIALS);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: receiptKey }));
    const body = await object.Body?.transformToString();
    s3.destroy();
    expect(
      createHash('sha256')
        .update(body ?? '')
        .digest('hex'),
    ).toBe(createHash('sha256').update('%PDF-1.4 secret receipt').digest('hex'));
  });
});
