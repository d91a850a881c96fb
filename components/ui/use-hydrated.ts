'use client';

import { useSyncExternalStore } from 'react';

const subscribeNothing = () => () => {};

/**
 * False while React hydrates the server's markup, true after. Read by the components that must not
 * claim anything about this browser's storage before reading it (the cart page's "empty"), and
 * only by them: the switch costs a synchronous re-render of whoever reads it.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
}
