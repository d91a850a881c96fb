/**
 * Local CloudWatch Logs: the lines every local function prints, kept per log group (the newest N),
 * searched through the JSON 1.1 protocol of @aws-sdk/client-cloudwatch-logs (`Logs_20140328.*`):
 * FilterLogEvents and DescribeLogGroups. See README.md.
 */
import { z } from 'zod';
import { AwsError, serveAwsJson } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { close } from '../kit/http';
import type { LocalCredentials } from '../kit/sigv4';
import { FilterPatternError, MAX_FILTER_PATTERN_LENGTH } from './filter-pattern';
import { LogStore, UnknownLogGroupError } from './store';
import { PageTokenError, decodeToken, encodeToken } from './tokens';

export interface LogsOptions {
  port: number;
  host?: string;
  region?: string;
  accountId?: string;
  /** The log groups the templates declare (the functions'); others appear when written to. */
  groups?: readonly string[];
  /** How many of the newest lines each group keeps (LOCAL_KEEP_LOG_LINES). */
  keepPerGroup: number;
  /** Every request must be SigV4-signed with these (the local credentials), as AWS requires. */
  credentials: LocalCredentials;
}

export interface LogsEngine extends Engine {
  /** Stores a line a function printed, stamped now, in its log group. */
  recordLambdaLine(logGroupName: string, line: string): void;
}

const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;

// Members AWS does not know are ignored, as its JSON services do.
const filterInput = z.object({
  logGroupName: z.string().regex(GROUP_NAME, 'must be a log group name').optional(),
  logGroupIdentifier: z.string().min(1).max(2048).optional(),
  logStreamNames: z.array(z.string().regex(STREAM_NAME)).min(1).max(100).optional(),
  logStreamNamePrefix: z.string().regex(STREAM_NAME).optional(),
  startTime: z.number().int().min(0).optional(),
  endTime: z.number().int().min(0).optional(),
  filterPattern: z.string().max(MAX_FILTER_PATTERN_LENGTH).optional(),
  nextToken: z.string().min(1).max(4096).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  interleaved: z.boolean().optional(),
  unmask: z.boolean().optional(),
});
const describeInput = z.object({
  logGroupNamePrefix: z.string().regex(GROUP_NAME).optional(),
  logGroupNamePattern: z
    .string()
    .regex(/^[.\-_/#A-Za-z0-9]{0,512}$/)
    .optional(),
  nextToken: z.string().min(1).max(4096).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  includeLinkedAccounts: z.boolean().optional(),
  logGroupClass: z.enum(['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']).optional(),
  accountIdentifiers: z.array(z.string()).optional(),
  logGroupIdentifiers: z.array(z.string()).optional(),
});

/** Parses a request's body as an operation takes it; AWS words a bad field as InvalidParameterException. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'request';
  throw invalid(
    `1 validation error detected: Value at '${where}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`,
  );
}

/** Local CloudWatch Logs engine (FilterLogEvents, DescribeLogGroups). */
export async function start(options: LogsOptions): Promise<LogsEngine> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const store = new LogStore(options.keepPerGroup);
  for (const name of options.groups ?? []) store.createGroup(name);
  const groupArn = (name: string) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`;

  /** The group a request names, by name or by identifier (a name or an ARN without `:*`). */
  const groupNameOf = (input: { logGroupName?: string; logGroupIdentifier?: string }): string => {
    if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined)
      throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    const identifier = input.logGroupName ?? input.logGroupIdentifier;
    if (identifier === undefined)
      throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
    const arn = /^arn:aws:logs:([^:]*):([^:]*):log-group:([^:]+)$/.exec(identifier);
    if (identifier.startsWith('arn:') && !arn)
      throw invalid(
        `${identifier} is not a log group ARN (arn:aws:logs:region:account:log-group:name).`,
      );
    const name = arn ? (arn[3] ?? '') : identifier;
    if (!GROUP_NAME.test(name)) throw invalid(`${name} is not a valid log group name.`);
    if (arn && (arn[1] !== region || arn[2] !== accountId)) throw new UnknownLogGroupError(name);
    return name;
  };

  const operations = {
    FilterLogEvents: (body: unknown) => {
      const input = parse(filterInput, body);
      const groupName = groupNameOf(input);
      if (input.logStreamNames && input.logStreamNamePrefix !== undefined)
        throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
      const after = input.nextToken ? decodeToken(input.nextToken, groupName) : undefined;
      const found = store.filter(groupName, {
        ...input,
        limit: input.limit ?? 10_000,
        ...(after !== undefined ? { after } : {}),
      });
      return {
        events: found.events.map((e) => ({
          logStreamName: e.logStreamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
          eventId: `${e.timestamp}${String(e.seq).padStart(20, '0')}`,
        })),
        searchedLogStreams: [],
        ...(found.resumeAfter !== undefined
          ? { nextToken: encodeToken(groupName, found.resumeAfter) }
          : {}),
      };
    },
    DescribeLogGroups: (body: unknown) => {
      const input = parse(describeInput, body);
      if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined)
        throw invalid(
          'logGroupNamePrefix and logGroupNamePattern are mutually exclusive parameters.',
        );
      if (input.logGroupIdentifiers !== undefined && input.logGroupNamePrefix !== undefined)
        throw invalid(
          'logGroupIdentifiers and logGroupNamePrefix are mutually exclusive parameters.',
        );
      const wanted = input.logGroupIdentifiers?.map((id) =>
        id.startsWith('arn:') ? id.replace(/^.*:log-group:/, '').replace(/:\*$/, '') : id,
      );
      const startAfter = input.nextToken ? decodeToken(input.nextToken, '*groups*') : undefined;
      const matching = store
        .list()
        .filter((g) => !input.logGroupNamePrefix || g.name.startsWith(input.logGroupNamePrefix))
        .filter((g) => !input.logGroupNamePattern || g.name.includes(input.logGroupNamePattern))
        .filter((g) => !wanted || wanted.includes(g.name))
        .filter(() => !input.logGroupClass || input.logGroupClass === 'STANDARD');
      const from = startAfter === undefined ? 0 : startAfter;
      const limit = input.limit ?? 50;
      const page = matching.slice(from, from + limit);
      return {
        logGroups: page.map((g) => ({
          logGroupName: g.name,
          creationTime: g.creationTime,
          metricFilterCount: 0,
          arn: `${groupArn(g.name)}:*`,
          logGroupArn: groupArn(g.name),
          storedBytes: store.kept(g).reduce((sum, e) => sum + Buffer.byteLength(e.message), 0),
          logGroupClass: 'STANDARD',
        })),
        ...(from + limit < matching.length
          ? { nextToken: encodeToken('*groups*', from + limit) }
          : {}),
      };
    },
  };

  const server = await serveAwsJson(
    'Logs',
    { host, port: options.port },
    {
      target: 'Logs_20140328',
      version: '1.1',
      signature: { credentials: options.credentials, region, service: 'logs' },
      decode: (body) => {
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw new AwsError('SerializationException', 'The request body must be a JSON object.');
        return body;
      },
      operations: {
        FilterLogEvents: (body) => withLogsErrors(() => operations.FilterLogEvents(body)),
        DescribeLogGroups: (body) => withLogsErrors(() => operations.DescribeLogGroups(body)),
      },
      unknownOperation: (target) =>
        new AwsError(
          'UnknownOperationException',
          `Operation ${target} is not supported by the local CloudWatch Logs engine.`,
        ),
      malformed: () =>
        new AwsError('SerializationException', 'The request body is not valid JSON.'),
      internal: (error) =>
        new AwsError(
          'ServiceUnavailableException',
          error instanceof Error ? error.message : String(error),
          500,
        ),
    },
  );

  return {
    url: `http://${host}:${options.port}`,
    // CloudWatch Logs stores no empty event (PutLogEvents needs a message of 1 character or more).
    recordLambdaLine: (logGroupName, line) => {
      if (line.trim() !== '') store.put(logGroupName, lambdaStreamOf(line), line);
    },
    stop: () => close(server),
  };
}

/** Errors of the store and the pattern parser, in CloudWatch Logs' words. */
function withLogsErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnknownLogGroupError)
      throw new AwsError('ResourceNotFoundException', error.message);
    if (error instanceof FilterPatternError || error instanceof PageTokenError)
      throw invalid(error.message);
    throw error;
  }
}

/**
 * The stream a Lambda line belongs to: one per invocation's request id offline (Powertools puts it
 * on every line), in Lambda's `[$LATEST]<id>` form; the runtime's own lines go to one stream.
 */
export function lambdaStreamOf(line: string): string {
  const id = /"function_request_id":"([0-9A-Za-z-]{1,64})"/.exec(line)?.[1];
  return `local/[$LATEST]${id ? id.replace(/-/g, '') : 'runtime'}`;
}
