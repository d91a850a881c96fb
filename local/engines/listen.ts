/** Shared helpers of the local engines: listening with a clear busy-port error, and closing. */
import type { Server } from 'node:http';
import { explainListenError } from '../config';

/** Listens on host:port; a busy port rejects with a PortInUseError naming the engine. */
export function listen(server: Server, engine: string, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown): void => reject(explainListenError(engine, port, error));
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

/** What every engine's start function returns. */
export interface RunningEngine {
  url: string;
  stop(): Promise<void>;
}
