/**
 * What the hardening tests send as an outsider would: raw GraphQL over HTTP with whatever auth
 * header (or none), raw AppSync realtime messages over `ws`, and the counts that show a refused
 * request wrote nothing.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { WebSocket } from 'ws';
import type { Backend } from './backend';

/** How a raw request authenticates: the API key, a user-pool JWT, any header set, or nothing. */
export type RawAuth =
  { apiKey: string } | { token: string } | { headers: Record<string, string> } | 'none';

const authHeaders = (auth: RawAuth): Record<string, string> =>
  auth === 'none'
    ? {}
    : 'apiKey' in auth
      ? { 'x-api-key': auth.apiKey }
      : 'token' in auth
        ? { authorization: auth.token }
        : auth.headers;

export interface RawAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; errorType?: string }[];
  };
  text: string;
}

/** POSTs a body (a GraphQL request object, or any string) to the GraphQL endpoint. */
export async function rawGraphql(
  backend: Backend,
  body: unknown,
  auth: RawAuth,
  contentType = 'application/json',
): Promise<RawAnswer> {
  const response = await fetch(backend.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': contentType, ...authHeaders(auth) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: RawAnswer['body'] = {};
  try {
    parsed = JSON.parse(text) as RawAnswer['body'];
  } catch {
    // not JSON: the test looks at the status and text
  }
  return { status: response.status, body: parsed, text };
}

/** A query selecting `id` nested `depth` times inside `field`. */
export const nestedSelection = (field: string, depth: number): string =>
  `${field} ${'{ id '.repeat(depth)}${'}'.repeat(depth)}`;

/** What the server answered to one realtime `start` (or the socket's own end). */
export interface RealtimeAnswer {
  type: string;
  payload?: { errors?: { message: string; errorType?: string }[] };
}

/** AppSync's realtime auth header: the host, and the API key or `Authorization` as sent over HTTP. */
const realtimeHeader = (backend: Backend, auth: RawAuth): Record<string, string> => {
  const host = new URL(backend.endpoints.graphql).host;
  const { authorization, ...rest } = authHeaders(auth);
  return { ...rest, ...(authorization ? { Authorization: authorization } : {}), host };
};

const headerProtocol = (backend: Backend, auth: RawAuth): string =>
  `header-${Buffer.from(JSON.stringify(realtimeHeader(backend, auth))).toString('base64url')}`;

/**
 * Opens a realtime connection, sends connection_init, then each raw message in turn (strings as
 * they are, objects as JSON), and collects every message the server sends until `done` says
 * enough or the time runs out; closes the socket.
 */
export async function realtimeExchange(
  backend: Backend,
  auth: RawAuth,
  messages: unknown[],
  done: (received: RealtimeAnswer[]) => boolean,
  timeoutMs = 10_000,
): Promise<RealtimeAnswer[]> {
  const ws = new WebSocket(backend.endpoints.realtime, [
    'graphql-ws',
    headerProtocol(backend, auth),
  ]);
  const received: RealtimeAnswer[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.on('error', reject);
      ws.on('close', finish);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as RealtimeAnswer;
        if (message.type === 'ka') return;
        received.push(message);
        if (message.type === 'connection_ack') {
          for (const m of messages) ws.send(typeof m === 'string' ? m : JSON.stringify(m));
        }
        if (done(received)) finish();
      });
    });
  } finally {
    ws.terminate();
  }
  return received;
}

/** A realtime `start` message for a document, authorized like the connection. */
export const startMessage = (
  backend: Backend,
  id: string,
  query: string,
  auth: RawAuth,
  variables: Record<string, unknown> = {},
): object => ({
  id,
  type: 'start',
  payload: {
    data: JSON.stringify({ query, variables }),
    extensions: { authorization: realtimeHeader(backend, auth) },
  },
});

/** How many items a table holds (a full scan: the test tables are small). */
export async function itemCount(backend: Backend, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await backend.dynamodb.send(
      new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return count;
}

/** True while the backend still answers a plain catalog query with the API key. */
export async function backendAnswers(backend: Backend): Promise<boolean> {
  const answer = await rawGraphql(
    backend,
    { query: 'query { listProducts(limit: 1) { items { id } } }' },
    { apiKey: backend.apiKey },
  );
  return answer.status === 200 && !answer.body.errors;
}
