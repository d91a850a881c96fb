import { readSessionHint, type SessionHint } from '@/lib/session-hint';

const listeners = new Set<() => void>();
let cachedKey: string | null = null;
let cachedHint: SessionHint | null = null;

const notify = () => {
  for (const listener of listeners) listener();
};

/**
 * The sign-in state the header shows, read from aws-amplify's cookies as an external store. It is
 * re-read when aws-amplify reports a sign-in, sign-out or token refresh (`sessionChanged`), and when
 * the tab comes back into view (another tab may have signed in or out).
 */
export const sessionStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    if (listeners.size === 1) {
      window.addEventListener('focus', notify);
      document.addEventListener('visibilitychange', notify);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        window.removeEventListener('focus', notify);
        document.removeEventListener('visibilitychange', notify);
      }
    };
  },
  /** The same object for the same cookies, as useSyncExternalStore requires. */
  snapshot(userPoolClientId: string): SessionHint | null {
    const key = `${userPoolClientId}\n${document.cookie}`;
    if (key !== cachedKey) {
      cachedKey = key;
      cachedHint = readSessionHint(document.cookie, userPoolClientId);
    }
    return cachedHint;
  },
};

/** Tells the header that aws-amplify has just changed the stored session. */
export const sessionChanged = (): void => notify();
