/**
 * The real aws-amplify v6 client in Node, for several shoppers at once: Amplify is configured once
 * from the backend's amplify_outputs.json, and its token provider hands out the tokens of whichever
 * shopper the current async call runs as (`asShopper`), so concurrent shoppers never mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Schema } from '../../amplify/data/resource';
import { routeLocalRealtimeOverPlainWebSocket } from '../../lib/local-realtime';
import type { Backend } from './backend';
import type { Shopper } from './shoppers';

export type DataClient = ReturnType<typeof generateClient<Schema>>;

const current = new AsyncLocalStorage<Shopper>();
let configuredFor: Backend | undefined;

const tokensOf = (shopper: Shopper) => {
  const payload = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      string
    >;
  return {
    accessToken: { payload: payload(shopper.accessToken), toString: () => shopper.accessToken },
    idToken: { payload: payload(shopper.idToken), toString: () => shopper.idToken },
  };
};

/** Configures aws-amplify for this backend (once per backend), with `ws` as Node's WebSocket. */
export function configureAmplify(backend: Backend): void {
  if (configuredFor === backend) return;
  globalThis.WebSocket ??= NodeWebSocket as unknown as typeof WebSocket;
  routeLocalRealtimeOverPlainWebSocket(backend.endpoints.realtime);
  Amplify.configure(backend.outputs as ResourcesConfig, {
    Auth: {
      tokenProvider: {
        getTokens: async () => {
          const shopper = current.getStore();
          return shopper ? (tokensOf(shopper) as never) : null;
        },
      },
    },
  });
  configuredFor = backend;
}

/** Runs `work` as this shopper: every Amplify call made inside it carries the shopper's token. */
export const asShopper = <T>(shopper: Shopper, work: () => T): T => current.run(shopper, work);

/** The typed data client with the signed-in (user pool) auth mode; call it inside asShopper. */
export const shopperClient = (): DataClient => generateClient<Schema>({ authMode: 'userPool' });

/** The typed data client with the API key (what a guest's browser uses for the catalog). */
export const guestClient = (): DataClient => generateClient<Schema>({ authMode: 'apiKey' });
