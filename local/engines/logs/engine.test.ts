/**
 * The local CloudWatch Logs engine through the real @aws-sdk/client-cloudwatch-logs: what the
 * operations function asks of it, and every request AWS refuses refused here too, in AWS's words,
 * with the engine still answering afterwards.
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, localEndpoint, ownEnginePort } from '../../../tests/support/backend';
import { lambdaStreamOf, start, type LogsEngine } from '.';

const PORT = ownEnginePort(31);
const PAY = '/aws/lambda/capturePayment-ABC';
const SHIP = '/aws/lambda/createShipment-DEF';

let engine: LogsEngine;
let logs: CloudWatchLogsClient;

const powertools = (orderId: string, message: string) =>
  JSON.stringify({ level: 'INFO', message, orderId, function_request_id: `req-${orderId}` });

beforeAll(async () => {
  engine = await start({
    port: PORT,
    keepPerGroup: 50,
    groups: [PAY, SHIP],
    credentials: LOCAL_CREDENTIALS,
  });
  logs = new CloudWatchLogsClient({ ...localEndpoint(engine.url), maxAttempts: 1 });
  engine.recordLambdaLine(PAY, powertools('o-1', 'payment captured'));
  engine.recordLambdaLine(PAY, powertools('o-2', 'payment captured'));
  engine.recordLambdaLine(PAY, 'START RequestId: 1 Version: $LATEST');
  for (let n = 0; n < 7; n++) engine.recordLambdaLine(SHIP, powertools('o-1', `shipment ${n}`));
});

afterAll(async () => {
  logs?.destroy();
  await engine?.stop();
});

const filter = (
  input: Omit<FilterLogEventsCommandInput, 'logGroupName'> & { logGroupName?: string },
) => logs.send(new FilterLogEventsCommand(input));

/** The error the SDK throws for a request, by its name and message. */
const refusal = async (send: () => Promise<unknown>) => {
  const error = (await send().then(
    () => null,
    (e: unknown) => e,
  )) as (Error & { $metadata?: { httpStatusCode?: number } }) | null;
  if (!error) throw new Error('the request was accepted');
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
};

describe('Local CloudWatch Logs, through the real SDK', () => {
  it("finds one order's lines by a JSON filter pattern, and none of another order's", async () => {
    // Act
    const { events } = await filter({ logGroupName: PAY, filterPattern: '{ $.orderId = "o-1" }' });
    // Assess
    expect(events?.map((e) => JSON.parse(e.message ?? '{}').orderId)).toEqual(['o-1']);
    expect(events?.[0]?.logStreamName).toBe('local/[$LATEST]reqo1');
    expect(events?.[0]?.timestamp).toBeGreaterThan(Date.now() - 60_000);
  });

  it('takes the group by identifier (name or ARN) and honours the time window', async () => {
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${PAY}`;
    const byArn = await filter({ logGroupIdentifier: arn, filterPattern: 'captured' });
    expect(byArn.events).toHaveLength(2);
    const future = await filter({ logGroupName: PAY, startTime: Date.now() + 60_000 });
    expect(future.events).toEqual([]);
    const past = await filter({ logGroupName: PAY, endTime: 1 });
    expect(past.events).toEqual([]);
  });

  it('pages with limit and nextToken through every line exactly once', async () => {
    // Prepare
    const messages: string[] = [];
    let nextToken: string | undefined;
    // Act
    do {
      const page = await filter({ logGroupName: SHIP, limit: 3, nextToken });
      messages.push(...(page.events ?? []).map((e) => JSON.parse(e.message ?? '{}').message));
      nextToken = page.nextToken;
    } while (nextToken);
    // Assess
    expect(messages).toEqual(Array.from({ length: 7 }, (_, n) => `shipment ${n}`));
  });

  it('lists the log groups, with their ARNs, by prefix and in pages', async () => {
    const all = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }),
    );
    expect(all.logGroups?.map((g) => g.logGroupName)).toEqual([PAY, SHIP]);
    expect(all.logGroups?.[0]?.arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:${PAY}:*`);
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 1 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual([PAY]);
    const second = await logs.send(
      new DescribeLogGroupsCommand({ limit: 1, nextToken: first.nextToken }),
    );
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual([SHIP]);
    expect(second.nextToken).toBeUndefined();
  });

  it('names the stream of a line without a request id as the runtime', () => {
    expect(lambdaStreamOf('START RequestId: 1')).toBe('local/[$LATEST]runtime');
  });
});

describe('Local CloudWatch Logs refuses what AWS refuses', () => {
  it('an unknown group: ResourceNotFoundException', async () => {
    const error = await refusal(() => filter({ logGroupName: '/aws/lambda/nobody' }));
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
    expect(error.message).toBe('The specified log group does not exist.');
    const otherAccount = await refusal(() =>
      filter({ logGroupIdentifier: `arn:aws:logs:us-east-1:999999999999:log-group:${PAY}` }),
    );
    expect(otherAccount.name).toBe('ResourceNotFoundException');
  });

  it.each([
    ['a JSON pattern it cannot read', { logGroupName: PAY, filterPattern: '{ $.orderId = ' }],
    ['a regular expression', { logGroupName: PAY, filterPattern: '%o-.%' }],
    ['a space-delimited pattern', { logGroupName: PAY, filterPattern: '[a, b]' }],
    ['IS NULL', { logGroupName: PAY, filterPattern: '{ $.orderId IS NULL }' }],
    ['a pattern over 1024 characters', { logGroupName: PAY, filterPattern: 'x'.repeat(1025) }],
    ['both a group name and identifier', { logGroupName: PAY, logGroupIdentifier: PAY }],
    ['no group at all', {}],
    ['a malformed group name', { logGroupName: 'bad name!' }],
    ['an ARN of something else', { logGroupIdentifier: 'arn:aws:sqs:us-east-1:000000000000:q' }],
    ['a limit over 10,000', { logGroupName: PAY, limit: 10_001 }],
    ['a limit of 0', { logGroupName: PAY, limit: 0 }],
    [
      'stream names and a prefix together',
      { logGroupName: PAY, logStreamNames: ['a'], logStreamNamePrefix: 'a' },
    ],
    [
      'a forged nextToken',
      { logGroupName: PAY, nextToken: 'eyJzIjoiL2F3cy9sYW1iZGEveCIsInAiOjF9' },
    ],
    ['a nextToken that is not one', { logGroupName: PAY, nextToken: '%%%' }],
  ])('%s: InvalidParameterException', async (_, input) => {
    // Act
    const error = await refusal(() => filter(input as FilterLogEventsCommandInput));
    // Assess
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it("a token from one group's query is refused for another group", async () => {
    const page = await filter({ logGroupName: SHIP, limit: 1 });
    expect(page.nextToken).toBeDefined();
    const error = await refusal(() => filter({ logGroupName: PAY, nextToken: page.nextToken }));
    expect(error.name).toBe('InvalidParameterException');
  });

  it('unsigned, wrongly signed, malformed, oversized and unknown requests, and keeps answering', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(engine.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Logs_20140328.FilterLogEvents',
          ...headers,
        },
        body,
      });
    const unsigned = await post(JSON.stringify({ logGroupName: PAY }));
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    const badKey = new CloudWatchLogsClient({
      ...localEndpoint(engine.url),
      credentials: { ...LOCAL_CREDENTIALS, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const wrong = await refusal(() =>
      badKey.send(new FilterLogEventsCommand({ logGroupName: PAY })),
    );
    expect(wrong).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    badKey.destroy();
    const huge = await post('x'.repeat(2 * 1024 * 1024)).catch(() => null);
    // Either a 413 in AWS's words or the connection cut once the limit was passed.
    if (huge) expect(huge.status).toBe(413);
    expect(
      (
        await refusal(() =>
          logs.send(new FilterLogEventsCommand({ logGroupName: PAY, filterPattern: '\u0000{' })),
        )
      ).name,
    ).toBe('InvalidParameterException');
    // Still answering.
    expect((await filter({ logGroupName: PAY, filterPattern: 'captured' })).events).toHaveLength(2);
  });
});
