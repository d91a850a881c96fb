'use client';

import { Fragment, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Mounts its children afresh each time the page they are on is shown again. With cache
 * components, Next keeps the last pages mounted but hidden (React's <Activity>) and, on the way
 * back, shows them as they were; their effects are cleaned up while hidden and run again when
 * shown. Widgets whose effects do not survive that (the Amplify Authenticator stops its state
 * machine and draws nothing after) are remounted instead, as a full page load would.
 */
export function FreshWhenShown({ children }: { children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  const mounted = useRef(false);
  useLayoutEffect(() => {
    // Runs at mount and again each time a hidden Activity is shown.
    if (mounted.current) setGeneration((g) => g + 1);
    mounted.current = true;
  }, []);
  return <Fragment key={generation}>{children}</Fragment>;
}
