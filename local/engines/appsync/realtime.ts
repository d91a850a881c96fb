import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AppSyncEngine } from './engine';
import { AppSyncRequestError, type AppSyncErrorJson } from './errors';
import type { Authenticator, Caller } from './identity';

/** Realtime settings: how often to send `ka`, and the timeout announced in `connection_ack`. */
export interface RealtimeOptions {
  keepAliveMs: number;
  connectionTimeoutMs: number;
  graphqlPath: string;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

function decodeHeaderProtocol(value: string): Record<string, string> | undefined {
  try {
    const json = Buffer.from(value, 'base64url').toString('utf8');
    const parsed = JSON.parse(json) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, string>;
  } catch {
    // not a header we understand
  }
  return undefined;
}

function connectionHeaders(request: IncomingMessage): Record<string, string> | undefined {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const header = offered.find((p) => p.startsWith('header-'));
  if (header) return decodeHeaderProtocol(header.slice('header-'.length));
  // Older clients put the same JSON into a `header` query parameter.
  const query = new URL(request.url ?? '/', 'http://local').searchParams.get('header');
  return query ? decodeHeaderProtocol(query) : undefined;
}

const errorOf = (error: unknown): AppSyncErrorJson & { errorCode?: number } =>
  error instanceof AppSyncRequestError
    ? {
        path: null,
        data: null,
        errorInfo: null,
        locations: null,
        errorType: error.errorType,
        message: error.message,
        errorCode: error.status,
      }
    : {
        path: null,
        data: null,
        errorInfo: null,
        locations: null,
        errorType: 'InternalFailure',
        message: 'Internal failure',
      };

/** The AppSync realtime protocol (`graphql-ws` subprotocol with `header-<base64url>` auth) on one path. */
export class RealtimeServer {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly engine: AppSyncEngine,
    private readonly authenticator: Authenticator,
    private readonly options: RealtimeOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE_BYTES,
      handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
    });
  }

  /** Takes over an HTTP upgrade aimed at the realtime path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, request));
  }

  private serve(ws: WebSocket, request: IncomingMessage): void {
    const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
    const headers = connectionHeaders(request);
    const subscriptions = new Map<string, () => void>();
    let keepAlive: NodeJS.Timeout | undefined;
    let caller: Promise<Caller> | undefined;
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const authenticate = (
      h: Record<string, string> | undefined,
      path: string,
      body: string,
    ): Promise<Caller> =>
      this.authenticator.authenticate(
        h ?? {},
        { method: 'POST', path, query: '', headers: h ?? {}, body },
        sourceIp,
      );

    const starting = new Set<string>();
    const failStart = (id: string, error: unknown): void => {
      if (!(error instanceof AppSyncRequestError)) console.error('[appsync] start failed', error);
      subscriptions.get(id)?.();
      subscriptions.delete(id);
      send({ type: 'error', id, payload: { errors: [errorOf(error)] } });
    };
    const start = async (
      id: string,
      payload: { data?: unknown; extensions?: { authorization?: Record<string, string> } },
    ) => {
      // An id is taken from its first start on, not only once acknowledged: two starts with the
      // same id sent together must not both become subscriptions.
      if (subscriptions.has(id) || starting.has(id)) {
        send({
          type: 'error',
          id,
          payload: {
            errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation id' }],
          },
        });
        return;
      }
      starting.add(id);
      try {
        await startChecked(id, payload);
      } finally {
        starting.delete(id);
      }
    };
    const startChecked = async (
      id: string,
      payload: { data?: unknown; extensions?: { authorization?: Record<string, string> } },
    ) => {
      let request: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        request = JSON.parse(String(payload.data)) as typeof request;
      } catch {
        send({
          type: 'error',
          id,
          payload: {
            errors: [
              { errorType: 'BadRequestException', message: 'The start payload data is not JSON.' },
            ],
          },
        });
        return;
      }
      if (typeof request.query !== 'string') {
        send({
          type: 'error',
          id,
          payload: {
            errors: [{ errorType: 'BadRequestException', message: 'A query string is required.' }],
          },
        });
        return;
      }
      let who: Caller;
      try {
        who = await authenticate(
          payload.extensions?.authorization,
          this.options.graphqlPath,
          String(payload.data),
        );
      } catch (error) {
        send({ type: 'error', id, payload: { errors: [errorOf(error)] } });
        return;
      }
      const result = this.engine.subscribe(
        who,
        {
          query: request.query,
          variables: (request.variables as Record<string, unknown> | null | undefined) ?? null,
          operationName: typeof request.operationName === 'string' ? request.operationName : null,
        },
        id,
        (data) => send({ type: 'data', id, payload: data }),
      );
      if (!result.ok) {
        send({ type: 'error', id, payload: { errors: result.errors } });
        return;
      }
      subscriptions.set(id, result.unsubscribe);
      send({ type: 'start_ack', id });
    };

    ws.on('message', (raw: RawData) => {
      try {
        onMessage(raw);
      } catch (error) {
        console.error('[appsync] realtime message failed', error);
        send({ type: 'error', payload: { errors: [errorOf(error)] } });
      }
    });
    const onMessage = (raw: RawData): void => {
      let message: { type?: unknown; id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(raw.toString()) as typeof message;
      } catch {
        send({
          type: 'error',
          payload: {
            errors: [{ errorType: 'BadRequestException', message: 'Messages must be JSON.' }],
          },
        });
        return;
      }
      const id = typeof message.id === 'string' ? message.id : undefined;
      switch (message.type) {
        case 'connection_init':
          caller ??= authenticate(headers, `${this.options.graphqlPath}/connect`, '{}');
          caller.then(
            () => {
              send({
                type: 'connection_ack',
                payload: { connectionTimeoutMs: this.options.connectionTimeoutMs },
              });
              send({ type: 'ka' });
              keepAlive ??= setInterval(() => send({ type: 'ka' }), this.options.keepAliveMs);
            },
            (error: unknown) => {
              send({ type: 'connection_error', payload: { errors: [errorOf(error)] } });
              ws.close(1000);
            },
          );
          break;
        case 'start':
          if (!id) break;
          if (!caller) {
            send({
              type: 'error',
              id,
              payload: {
                errors: [
                  { errorType: 'BadRequestException', message: 'connection_init must come first.' },
                ],
              },
            });
            break;
          }
          caller
            .then(
              () => start(id, (message.payload ?? {}) as Parameters<typeof start>[1]),
              () => undefined,
            )
            // Whatever one start message does wrong is answered on its own id; the connection,
            // its other subscriptions and the process carry on.
            .catch((error: unknown) => failStart(id, error));
          break;
        case 'stop':
          if (!id) break;
          subscriptions.get(id)?.();
          subscriptions.delete(id);
          send({ type: 'complete', id });
          break;
        default:
          send({
            type: 'error',
            id,
            payload: {
              errors: [
                {
                  errorType: 'UnsupportedOperation',
                  message: `Unknown message type ${String(message.type)}`,
                },
              ],
            },
          });
      }
    };
    const cleanup = () => {
      if (keepAlive) clearInterval(keepAlive);
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
    };
    ws.on('close', cleanup);
    ws.on('error', cleanup);
  }

  /** Closes every realtime connection. */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
