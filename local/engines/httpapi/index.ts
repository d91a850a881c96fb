/**
 * API Gateway HTTP APIs, as the templates declare them: each route's Lambda proxy integration
 * gets the payload format 2.0 event API Gateway sends (raw path, lower-cased headers, the body
 * as text or base64, requestContext.http), and its answer is written back as API Gateway does
 * (statusCode, headers, body, isBase64Encoded; a bare value is a 200 JSON body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../kit/engine';
import { BodyTooLargeError, close, flatHeaders, readBody, serveHttp } from '../kit/http';

export interface HttpRoute {
  method: string;
  path: string;
  functionName: string;
  apiId: string;
}

export interface HttpApiOptions {
  port: number;
  host?: string;
  region: string;
  accountId: string;
  routes: HttpRoute[];
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
}

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript))/i;

export interface HttpApiEngine extends Engine {
  port: number;
}

/** The payload format 2.0 event for one request. */
export function httpApiEvent(
  req: IncomingMessage,
  body: Buffer,
  route: HttpRoute,
  accountId: string,
): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers = flatHeaders(req.headers);
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId,
      apiId: route.apiId,
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: (headers['host'] ?? 'localhost').split('.')[0],
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Starts the HTTP APIs' engine on one port; every API's routes are served under it. */
export async function start(options: HttpApiOptions): Promise<HttpApiEngine> {
  const host = options.host ?? '127.0.0.1';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const route = options.routes.find(
      (r) => r.path === path && (r.method === 'ANY' || r.method === req.method),
    );
    if (!route) {
      json(res, 404, { message: 'Not Found' });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      json(res, 413, { message: 'Request Entity Too Large' });
      return;
    }
    let result: unknown;
    try {
      result = await options.invoke(
        route.functionName,
        httpApiEvent(req, body, route, options.accountId),
      );
    } catch {
      // A function error is API Gateway's 500, whatever the function threw.
      json(res, 500, { message: 'Internal Server Error' });
      return;
    }
    const answer = result as {
      statusCode?: unknown;
      headers?: Record<string, string>;
      body?: unknown;
      isBase64Encoded?: boolean;
    } | null;
    if (answer && typeof answer === 'object' && typeof answer.statusCode === 'number') {
      const payload =
        typeof answer.body === 'string'
          ? Buffer.from(answer.body, answer.isBase64Encoded ? 'base64' : 'utf8')
          : Buffer.alloc(0);
      res.writeHead(answer.statusCode, { ...(answer.headers ?? {}) });
      res.end(payload);
      return;
    }
    json(res, 200, result ?? null);
  }

  const server = await serveHttp({
    engine: 'HTTP API',
    host,
    port: options.port,
    handle,
    fail: (_error, _req, res) => json(res, 500, { message: 'Internal Server Error' }),
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${host}:${port}`, port, stop: () => close(server) };
}
