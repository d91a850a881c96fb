/** The HTTP side every engine shares: listening, closing, bounded bodies and CORS. */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/** A port another process holds: names the engine, the port and how to pick other ports. */
export class ListenError extends Error {
  constructor(
    readonly engine: string,
    readonly port: number,
    host: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Port ${port} for the local ${engine} engine is already in use. Stop what holds ` +
        `port ${port} on ${host}, which is already in use (is another \`npm run local\` or ` +
        `\`npm run dev\` running?), or pick another base: LOCAL_PORT_BASE=5100 npm run local`,
      options,
    );
    this.name = 'ListenError';
  }
}

/** Wraps a listen error: EADDRINUSE becomes a ListenError, anything else passes through. */
export function explainListenError(
  engine: string,
  port: number,
  host: string,
  error: unknown,
): Error {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
    return new ListenError(engine, port, host, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Listens on host:port; a busy port rejects with a ListenError naming the engine. */
export function listen(server: Server, engine: string, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown): void => reject(explainListenError(engine, port, host, error));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Closes a server, dropping idle keep-alive connections so that stop() returns promptly. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections?.();
    setTimeout(() => server.closeAllConnections?.(), 1000).unref();
  });
}

/** A request handler that may fail; `fail` answers the failure in the engine's own words. */
export interface HttpEngineOptions {
  /** The engine's name in a busy-port error. */
  engine: string;
  host: string;
  port: number;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Answers what `handle` threw; whatever slips through gets a bare 500. */
  fail(error: unknown, req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Creates and binds one engine's HTTP server: every request is answered, whatever its handler
 * throws, and a busy port is a ListenError.
 */
export async function serveHttp(options: HttpEngineOptions): Promise<Server> {
  const server = createServer((req, res) => {
    options.handle(req, res).catch((error: unknown) => {
      try {
        if (!res.headersSent) options.fail(error, req, res);
      } catch {
        // The engine's own error answer failed: a bare 500 still tells the client.
      }
      if (!res.headersSent) res.writeHead(500).end();
      else if (!res.writableEnded) res.end();
    });
  });
  await listen(server, options.engine, options.port, options.host);
  return server;
}

/** A request body over the engine's limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** What the engines accept unless their service allows more (AWS's usual 1 MiB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes. A larger declared length is refused at once; a
 * longer stream is drained (so the answer still reaches the client) and then refused, without
 * keeping more than the limit in memory.
 */
export function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      size > limit ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

/** A request's headers with repeated ones joined, as signatures and resolvers read them. */
export function flatHeaders(headers: IncomingHttpHeaders, separator = ','): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(separator) : v;
  }
  return out;
}

/** Writes a JSON answer unless one was already sent. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
