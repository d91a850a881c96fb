'use client';

import { Authenticator } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';

/** The Amplify Authenticator: sign in, or sign up with the emailed confirmation code. */
export function SignInForm() {
  return (
    <Authenticator loginMechanisms={['email']}>
      {() => <p role="status">Signing you in…</p>}
    </Authenticator>
  );
}
