'use client';

import type { ReactNode } from 'react';
import { RequireShopper } from '../auth/require-shopper';

/** Shows its children to a member of ADMINS (from the token's cognito:groups), and says so to anyone else. */
export function OperatorsOnly({ children }: { children: ReactNode }) {
  return (
    <RequireShopper reason="Sign in with an operator account.">
      {(shopper) =>
        shopper.isAdmin ? (
          children
        ) : (
          <p role="alert" className="rounded-xl bg-amber-50 p-4 text-amber-900">
            This page is for store operators (the ADMINS group). You are signed in as{' '}
            {shopper.email}, who is not one.
          </p>
        )
      }
    </RequireShopper>
  );
}
