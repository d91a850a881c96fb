'use client';

import dynamic from 'next/dynamic';
import type { ReactNode } from 'react';
import type { Shopper } from '@/lib/shopper-api';
import { FreshWhenShown } from '../ui/fresh-when-shown';
import { useBackend, useShopper } from './amplify-provider';

// The Authenticator (and its stylesheet) is most of @aws-amplify/ui-react: it is fetched only when
// someone who is not signed in needs it, never for a shopper who already is.
const SignInForm = dynamic(() => import('./sign-in-form').then((m) => m.SignInForm), {
  ssr: false,
  loading: () => <p role="status">Loading the sign-in form…</p>,
});

/**
 * Shows its children to a signed-in shopper, and the Amplify Authenticator (sign in or sign up,
 * with the emailed confirmation code) to anyone else.
 */
export function RequireShopper({
  reason,
  children,
}: {
  reason: string;
  children: (shopper: Shopper) => ReactNode;
}) {
  const { outputs } = useBackend();
  const { shopper } = useShopper();

  if (!outputs) {
    return (
      <p role="alert" className="rounded-xl bg-amber-50 p-4 text-amber-900">
        The store&apos;s backend is not running, so nobody can sign in. Start it with{' '}
        <code>npm run local</code>.
      </p>
    );
  }
  if (shopper === undefined) return <p role="status">Checking who is signed in…</p>;
  // Shown afresh, as a page load would: a checkout left hidden by the router must not come back
  // with the card or the order of an earlier attempt.
  if (shopper) return <FreshWhenShown>{children(shopper)}</FreshWhenShown>;
  return (
    <div className="mx-auto max-w-md">
      <p className="mb-6 text-center text-neutral-700">{reason}</p>
      <FreshWhenShown>
        <SignInForm />
      </FreshWhenShown>
    </div>
  );
}
