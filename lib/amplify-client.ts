'use client';

import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { routeLocalRealtimeOverPlainWebSocket } from './local-realtime';
import { localEndpoints, type AmplifyOutputs } from './outputs';

type ConfigureInput = Parameters<typeof Amplify.configure>[0];

let configuredWith: AmplifyOutputs | null = null;

/** Configures aws-amplify once per set of outputs; in local mode points Cognito at the local engine. */
export function configureAmplify(outputs: AmplifyOutputs): void {
  if (configuredWith === outputs) return;
  Amplify.configure(outputs as ConfigureInput, { ssr: true });
  const local = localEndpoints(outputs);
  if (local?.cognito) {
    const config = Amplify.getConfig();
    const cognito = config.Auth?.Cognito;
    if (cognito?.userPoolId && cognito.userPoolClientId) {
      // The browser needs no AWS credentials (GraphQL is API key or user pool), and the local
      // backend has no identity pool engine: dropping it keeps fetchAuthSession from calling AWS.
      const { identityPoolId: _identityPoolId, ...userPoolOnly } = cognito;
      const withEndpoint = {
        ...userPoolOnly,
        userPoolId: cognito.userPoolId,
        userPoolClientId: cognito.userPoolClientId,
        userPoolEndpoint: local.cognito,
      };
      Amplify.configure({ ...config, Auth: { Cognito: withEndpoint } } as ResourcesConfig, {
        ssr: true,
      });
    }
  }
  // aws-amplify dials wss:// for any non-AppSync host; only the local realtime URL goes over ws://.
  if (local?.realtime?.startsWith('ws://') && typeof window !== 'undefined') {
    routeLocalRealtimeOverPlainWebSocket(local.realtime, window);
  }
  configuredWith = outputs;
}

/** True once configureAmplify has run in this page (whichever outputs it was given). */
export const amplifyConfigured = (): boolean => configuredWith !== null;

/** True when the app talks to the offline backend (amplify_outputs.json has custom.local). */
export const isLocalMode = (outputs: AmplifyOutputs | null): boolean =>
  Boolean(outputs && localEndpoints(outputs));
