'use client';

import { Hub } from 'aws-amplify/utils';
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { configureAmplify, isLocalMode } from '@/lib/amplify-client';
import type { AmplifyOutputs } from '@/lib/outputs';
import { currentShopper, type Shopper } from '@/lib/shopper-api';
import { sessionChanged } from './session-store';

interface BackendContextValue {
  outputs: AmplifyOutputs | null;
  localMode: boolean;
}

interface ShopperContextValue {
  /** undefined while it is being found out, null when nobody is signed in. */
  shopper: Shopper | null | undefined;
  reload: () => void;
}

const BackendContext = createContext<BackendContextValue>({ outputs: null, localMode: false });
const ShopperContext = createContext<ShopperContextValue>({ shopper: undefined, reload: () => {} });

function ShopperProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [shopper, setShopper] = useState<Shopper | null | undefined>(enabled ? undefined : null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void currentShopper().then((found) => {
      if (live) setShopper(found);
    });
    const stop = Hub.listen('auth', ({ payload }) => {
      if (['signedIn', 'signedOut', 'tokenRefresh'].includes(payload.event)) {
        // The header reads the session from aws-amplify's cookies: tell it they changed.
        sessionChanged();
        reload();
      }
    });
    return () => {
      live = false;
      stop();
    };
  }, [enabled, version, reload]);

  const value = useMemo(() => ({ shopper, reload }), [shopper, reload]);
  return <ShopperContext value={value}>{children}</ShopperContext>;
}

/**
 * Configures aws-amplify from amplify_outputs.json (read on the server) and finds the signed-in
 * shopper. Only the routes that act for a shopper (app/(account)) are wrapped in it, so guests
 * browsing the shop never download aws-amplify.
 */
export function AmplifyProvider({
  outputs,
  children,
}: {
  outputs: AmplifyOutputs | null;
  children: ReactNode;
}) {
  // Configure during render, before any child's effect asks Amplify for anything.
  if (outputs && typeof window !== 'undefined') configureAmplify(outputs);
  const backend = useMemo(() => ({ outputs, localMode: isLocalMode(outputs) }), [outputs]);
  return (
    <BackendContext value={backend}>
      <ShopperProvider enabled={outputs !== null}>{children}</ShopperProvider>
    </BackendContext>
  );
}

export const useBackend = (): BackendContextValue => use(BackendContext);
export const useShopper = (): ShopperContextValue => use(ShopperContext);
