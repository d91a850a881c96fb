/**
 * Local mode only: lets aws-amplify's realtime client reach the local AppSync over plain `ws://`.
 *
 * aws-amplify always dials `wss://<graphql host>/graphql/realtime` for a non-AppSync endpoint, and a
 * browser on http://localhost cannot open `wss://` to a server without a trusted certificate. This
 * wraps the global `WebSocket` so that exactly that one URL prefix (the local realtime endpoint,
 * from `amplify_outputs.json` `custom.local`) is dialled as `ws://`; every other socket is untouched.
 * It has no Node imports, so the app (browser) and the Node tests share it.
 */
export function routeLocalRealtimeOverPlainWebSocket(
  localRealtimeUrl: string,
  target: { WebSocket?: typeof WebSocket } = globalThis,
): () => void {
  const Native = target.WebSocket;
  if (!Native) throw new Error('No WebSocket implementation is available to adapt.');
  const plain = new URL(localRealtimeUrl);
  if (plain.protocol !== 'ws:')
    throw new Error(`Expected a ws:// realtime URL, got ${localRealtimeUrl}`);
  const securePrefix = `wss://${plain.host}${plain.pathname}`;
  if ((Native as { localRealtimePrefix?: string }).localRealtimePrefix === securePrefix)
    return () => undefined;

  class LocalRealtimeWebSocket extends Native {
    static readonly localRealtimePrefix = securePrefix;
    constructor(url: string | URL, protocols?: string | string[]) {
      const requested = String(url);
      super(
        requested.startsWith(securePrefix) ? `ws://${requested.slice('wss://'.length)}` : requested,
        protocols,
      );
    }
  }
  target.WebSocket = LocalRealtimeWebSocket;
  return () => {
    target.WebSocket = Native;
  };
}
