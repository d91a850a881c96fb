'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useShopper } from './amplify-provider';
import { RequireShopper } from './require-shopper';

/** The sign-in page: the Authenticator, then on to where the shopper was going. */
export function SignInThenGo({ next }: { next: string }) {
  const router = useRouter();
  const { shopper } = useShopper();
  useEffect(() => {
    if (shopper) router.replace(next);
  }, [shopper, next, router]);
  return (
    <RequireShopper reason="Sign in, or create an account with your email.">
      {(signedIn) => <p role="status">Signed in as {signedIn.email}. Taking you back…</p>}
    </RequireShopper>
  );
}
