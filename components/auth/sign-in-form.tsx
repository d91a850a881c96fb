'use client';

import { Authenticator, ThemeProvider } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';
import './sign-in-form.css';
import { signInTheme } from './sign-in-theme';

/** The Amplify Authenticator in the store's style: sign in, or sign up with the emailed code. */
export function SignInForm() {
  return (
    <ThemeProvider theme={signInTheme}>
      <Authenticator loginMechanisms={['email']}>
        {() => <p role="status">Signing you in…</p>}
      </Authenticator>
    </ThemeProvider>
  );
}
