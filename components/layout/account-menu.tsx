'use client';

import { signOut } from 'aws-amplify/auth';
import Link from 'next/link';
import { useBackend, useShopper } from '../providers';

/** Sign-in state: a sign-in link, or who is signed in with admin and sign-out links. */
export function AccountMenu() {
  const { outputs } = useBackend();
  const { shopper } = useShopper();
  if (!outputs || shopper === undefined) {
    return <span className="h-9 w-20" aria-hidden="true" />;
  }
  if (!shopper) {
    return (
      <Link href="/sign-in" className="text-sm font-semibold text-neutral-700 hover:text-ink">
        Sign in
      </Link>
    );
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      {shopper.isAdmin ? (
        <Link href="/admin" className="font-semibold text-brand-700 hover:text-ink">
          Admin
        </Link>
      ) : null}
      <span
        className="hidden max-w-48 truncate text-neutral-600 md:inline"
        data-testid="signed-in-as"
      >
        {shopper.email ?? 'Signed in'}
      </span>
      <button
        type="button"
        onClick={() => void signOut()}
        className="font-semibold text-neutral-700 hover:text-ink"
      >
        Sign out
      </button>
    </div>
  );
}
