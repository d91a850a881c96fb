'use client';

import { useState, useSyncExternalStore } from 'react';
import type { AmplifyOutputs } from '@/lib/outputs';
import type { SessionHint } from '@/lib/session-hint';
import { sessionStore } from '../auth/session-store';
import { IntentLink } from '../ui/intent-link';

/** What the header needs to know about sign-in: the app client's id and outputs to sign out with. */
export interface AccountSettings {
  userPoolClientId: string;
  outputs: AmplifyOutputs;
}

const noSession = (): SessionHint | null | undefined => undefined;

/** Holds the account menu's place (its narrowest form) so nothing moves when it arrives. */
export function AccountPlaceholder() {
  return <span className="h-9 w-20" aria-hidden="true" />;
}

/**
 * Sign-in state: a sign-in link, or who is signed in with admin and sign-out links. It reads the
 * session from aws-amplify's cookies (lib/session-hint) instead of loading aws-amplify, which is
 * fetched only when the shopper signs out.
 */
export function AccountMenu({ account }: { account: AccountSettings | null }) {
  const clientId = account?.userPoolClientId ?? '';
  const shopper = useSyncExternalStore(
    sessionStore.subscribe,
    () => (clientId ? sessionStore.snapshot(clientId) : null),
    noSession,
  );
  const [signingOut, setSigningOut] = useState(false);
  if (!account || shopper === undefined) {
    return <AccountPlaceholder />;
  }
  if (!shopper) {
    return (
      <IntentLink href="/sign-in" className="text-sm font-semibold text-neutral-700 hover:text-ink">
        Sign in
      </IntentLink>
    );
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      {shopper.isAdmin ? (
        <IntentLink href="/admin" className="font-semibold text-brand-700 hover:text-ink">
          Admin
        </IntentLink>
      ) : null}
      <span className="hidden max-w-48 truncate text-neutral-600 md:inline">
        {shopper.email ?? 'Signed in'}
      </span>
      <button
        type="button"
        disabled={signingOut}
        onClick={async () => {
          setSigningOut(true);
          try {
            const { signOutShopper } = await import('../auth/sign-out');
            await signOutShopper(account.outputs);
          } finally {
            setSigningOut(false);
          }
        }}
        className="font-semibold text-neutral-700 hover:text-ink"
      >
        Sign out
      </button>
    </div>
  );
}
