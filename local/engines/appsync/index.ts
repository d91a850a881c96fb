import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { sdkDocumentTables, type DocumentTables } from '../dynamodb/in-process';
import type { Engine } from '../kit/engine';
import { BodyTooLargeError, flatHeaders, readBody, serveHttp } from '../kit/http';
import { AppSyncEngine, type InvokeFunction } from './engine';
import { AppSyncRequestError } from './errors';
import { Authenticator, type AuthSettings, type CognitoAuthSettings } from './identity';
import { RealtimeServer } from './realtime';
import type { AuthMode } from './schema';

export type { InvokeFunction } from './engine';
export { customOperationsFromTemplates, readAppSyncAssets } from './assets';

/** Inputs of the local AppSync engine; everything comes from cdk.out and the other local engines. */
export interface AppSyncOptions {
  port: number;
  host?: string;
  /** The transformed schema (`asset.<hash>.graphql` in cdk.out). */
  schemaSdl: string;
  /** `modelIntrospectionSchema.json` (what amplify_outputs.json carries as `data.model_introspection`). */
  modelIntrospection: Record<string, unknown>;
  tableNameFor: (modelName: string) => string;
  /**
   * The tables: in-process (the DynamoDB engine's `tables`, as AWS links AppSync to DynamoDB inside)
   * or an SDK client's settings for an endpoint.
   */
  dynamodb: DocumentTables | DynamoDBClientConfig;
  apiKey: string;
  /** The API's default authorization mode (Amplify's `defaultAuthorizationMode`). */
  defaultAuthMode?: AuthMode;
  cognito?: CognitoAuthSettings;
  /** The local credentials the backend's functions sign with (IAM, `allow.resource`). */
  iam?: { accessKeyId: string; secretAccessKey: string };
  accountId?: string;
  invokeFunction?: InvokeFunction;
  /** `'Mutation.placeOrder' -> 'placeOrder'`: custom operations backed by functions (see customOperationsFromTemplates). */
  customOperations?: Record<string, string>;
  keepAliveMs?: number;
  maxBodyBytes?: number;
}

/** A running local AppSync. */
export interface AppSyncHandle extends Engine {
  realtimeUrl: string;
  engine: AppSyncEngine;
}

const GRAPHQL_PATH = '/graphql';
const REALTIME_PATH = '/graphql/realtime';
const DEFAULT_MAX_BODY = 1024 * 1024;

const requestSchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

function reply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    ...corsHeaders(req),
  });
  res.end(text);
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': String(req.headers.origin ?? '*'),
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
    'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

/** Starts the local AppSync: GraphQL over HTTP at /graphql and the realtime protocol at /graphql/realtime. */
export async function start(options: AppSyncOptions): Promise<AppSyncHandle> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const settings: AuthSettings = {
    apiKey: options.apiKey,
    cognito: options.cognito,
    iam: options.iam,
    accountId: options.accountId,
  };
  const authenticator = new Authenticator(settings);
  // An endpoint's client, with the same marshalling as the in-process tables (dynamodb/in-process.ts).
  const client =
    'send' in options.dynamodb
      ? undefined
      : DynamoDBDocumentClient.from(new DynamoDBClient(options.dynamodb), {
          marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
        });
  const ddb = client ? sdkDocumentTables(client) : (options.dynamodb as DocumentTables);
  const engine = new AppSyncEngine({
    schemaSdl: options.schemaSdl,
    modelIntrospection: options.modelIntrospection,
    tableNameFor: options.tableNameFor,
    ddb,
    authenticator,
    defaultAuthMode: options.defaultAuthMode ?? 'apiKey',
    invokeFunction: options.invokeFunction,
    customOperations: options.customOperations ?? {},
  });
  const realtime = new RealtimeServer(engine, authenticator, {
    keepAliveMs: options.keepAliveMs ?? 60_000,
    connectionTimeoutMs: 300_000,
    graphqlPath: GRAPHQL_PATH,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req));
      res.end();
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/health' || url.pathname === '/')) {
      reply(req, res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      reply(
        req,
        res,
        404,
        { errors: [{ errorType: 'NotFoundException', message: `No route for ${url.pathname}` }] },
        'NotFoundException',
      );
      return;
    }
    if (req.method !== 'POST') {
      reply(req, res, 405, {
        errors: [{ errorType: 'MethodNotAllowedException', message: 'Use POST.' }],
      });
      return;
    }
    const headers = flatHeaders(req.headers, ', ');
    const body = await readBody(req, maxBody).catch((error: unknown) => {
      throw error instanceof BodyTooLargeError
        ? new AppSyncRequestError(
            413,
            'PayloadTooLargeException',
            `Request body exceeds ${maxBody} bytes.`,
          )
        : error;
    });
    const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
    const caller = await authenticator.authenticate(
      headers,
      { method: 'POST', path: url.pathname, query: url.search.slice(1), headers, body },
      sourceIp,
    );
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppSyncRequestError(
        400,
        'MalformedHttpRequestException',
        'Unable to parse GraphQL query.',
      );
    }
    const parsed = requestSchema.safeParse(json);
    if (!parsed.success) {
      throw new AppSyncRequestError(
        400,
        'MalformedHttpRequestException',
        'The request body must have a query string.',
      );
    }
    const result = await engine.execute(caller, parsed.data, headers);
    reply(req, res, 200, result);
  };

  const server = await serveHttp({
    engine: 'AppSync',
    host,
    port: options.port,
    handle,
    fail: (error, req, res) => {
      if (error instanceof AppSyncRequestError) {
        reply(
          req,
          res,
          error.status,
          { errors: [{ errorType: error.errorType, message: error.message }] },
          error.errorType,
        );
      } else {
        console.error('[appsync] request failed', error);
        reply(
          req,
          res,
          500,
          { errors: [{ errorType: 'InternalFailure', message: 'Internal failure' }] },
          'InternalFailure',
        );
      }
    },
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === REALTIME_PATH || path === `${REALTIME_PATH}/`)
      realtime.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  server.keepAliveTimeout = 65_000;

  const urlHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${options.port}${GRAPHQL_PATH}`,
    realtimeUrl: `ws://${urlHost}:${options.port}${REALTIME_PATH}`,
    engine,
    stop: async () => {
      realtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client?.destroy();
    },
  };
}
