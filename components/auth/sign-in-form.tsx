'use client';

import { Authenticator, Heading, ThemeProvider } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';
import './sign-in-form.css';
import { confirmSignUp, resendSignUpCode, signUp } from 'aws-amplify/auth';
import { useEffect, useState, type ComponentProps } from 'react';
import { pendingSignUpStore, signUpServices, type PendingSignUp } from '@/lib/pending-sign-up';
import { useBackend } from './amplify-provider';
import { ConfirmPendingSignUp, MailboxNote } from './confirm-pending-sign-up';
import { signInTheme } from './sign-in-theme';

// True while the "We emailed you" step is on screen: a resend asked for there is the shopper's
// own click; one the Authenticator makes on sign-in is not (see signUpServices).
let codeStepShown = false;

const pending = () => pendingSignUpStore(window.localStorage);

const services = () =>
  signUpServices({ signUp, confirmSignUp, resendSignUpCode }, pending(), () => codeStepShown);

function CodeStepHeader() {
  const { localMode } = useBackend();
  useEffect(() => {
    codeStepShown = true;
    return () => {
      codeStepShown = false;
    };
  }, []);
  return (
    <>
      <Heading level={3}>We emailed you</Heading>
      {localMode ? <MailboxNote email={pending().read()?.email ?? null} /> : null}
    </>
  );
}

/**
 * The Amplify Authenticator: sign in, or sign up with the emailed confirmation code. A sign-up
 * whose code was not typed yet is resumed (see lib/pending-sign-up.ts).
 */
export function SignInForm() {
  // This form is only ever rendered in the browser (loaded with ssr: false).
  const [resume, setResume] = useState<PendingSignUp | null>(() => pending().read());
  const [confirmed, setConfirmed] = useState(false);

  if (resume) {
    return (
      <ConfirmPendingSignUp
        pending={resume}
        onConfirmed={() => {
          pending().clear();
          setConfirmed(true);
          setResume(null);
        }}
        onCancel={() => {
          pending().clear();
          setResume(null);
        }}
      />
    );
  }
  return (
    <ThemeProvider theme={signInTheme}>
      {confirmed ? (
        <p role="status" className="mb-4 rounded-lg bg-brand-50 p-3 text-sm text-brand-700">
          Your email is confirmed. Sign in with your password to continue.
        </p>
      ) : null}
      <Authenticator
        loginMechanisms={['email']}
        // Amplify types handleSignUp with an extra (ctx, input) overload it never calls here.
        services={services() as ComponentProps<typeof Authenticator>['services']}
        components={{ ConfirmSignUp: { Header: CodeStepHeader } }}
      >
        {() => <p role="status">Signing you in…</p>}
      </Authenticator>
    </ThemeProvider>
  );
}
