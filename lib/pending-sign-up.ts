/**
 * The sign-up whose emailed code the shopper has not typed yet, kept in the browser so the
 * "We emailed you" step survives leaving the page (to read the mailbox) and coming back, and so
 * that signing in again does not quietly mail a second code while the first one still works.
 */

/** Cognito's sign-up codes stay valid for 24 hours. */
export const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface PendingSignUp {
  email: string;
  /** When the code in the shopper's mailbox was sent (ms since the epoch). */
  sentAt: number;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'saga-supply.pending-sign-up.v1';

/** Reads and writes the pending sign-up in `store` (localStorage in a browser). */
export const pendingSignUpStore = (store: KeyValueStore, now: () => number = Date.now) => ({
  /** The pending sign-up, or null when there is none or its code has expired. */
  read(): PendingSignUp | null {
    try {
      const value = JSON.parse(store.getItem(KEY) ?? 'null') as Partial<PendingSignUp> | null;
      if (
        !value ||
        typeof value.email !== 'string' ||
        typeof value.sentAt !== 'number' ||
        now() - value.sentAt > CODE_LIFETIME_MS
      )
        return null;
      return { email: value.email, sentAt: value.sentAt };
    } catch {
      return null;
    }
  },
  codeSent(email: string): void {
    store.setItem(KEY, JSON.stringify({ email, sentAt: now() }));
  },
  clear(): void {
    store.removeItem(KEY);
  },
});

export type PendingSignUpStore = ReturnType<typeof pendingSignUpStore>;

interface CodeDelivery {
  destination?: string;
  deliveryMedium?: 'EMAIL' | 'SMS' | 'PHONE' | 'UNKNOWN';
  attributeName?: string;
}

export interface SignUpCalls<
  SignUpIn,
  SignUpOut,
  ConfirmIn extends { username: string },
  ConfirmOut,
> {
  signUp: (input: SignUpIn & { username: string }) => Promise<SignUpOut>;
  confirmSignUp: (input: ConfirmIn) => Promise<ConfirmOut>;
  resendSignUpCode: (input: { username: string }) => Promise<CodeDelivery>;
}

/**
 * The Authenticator's sign-up services with the pending sign-up kept up to date. The Authenticator
 * resends a code whenever an unconfirmed shopper signs in; here that happens only when the shopper
 * asked for a new code on the "We emailed you" step (`onCodeStep()` true), or when no code sent
 * from this browser is still valid.
 */
export const signUpServices = <
  SignUpIn,
  SignUpOut,
  ConfirmIn extends { username: string },
  ConfirmOut,
>(
  calls: SignUpCalls<SignUpIn, SignUpOut, ConfirmIn, ConfirmOut>,
  pending: PendingSignUpStore,
  onCodeStep: () => boolean,
) => ({
  async handleSignUp(input: SignUpIn & { username: string }): Promise<SignUpOut> {
    const result = await calls.signUp(input);
    pending.codeSent(input.username);
    return result;
  },
  async handleConfirmSignUp(input: ConfirmIn): Promise<ConfirmOut> {
    const result = await calls.confirmSignUp(input);
    pending.clear();
    return result;
  },
  async handleResendSignUpCode({ username }: { username: string }): Promise<CodeDelivery> {
    const sent = pending.read();
    if (!onCodeStep() && sent?.email === username) {
      return { destination: username, deliveryMedium: 'EMAIL', attributeName: 'email' };
    }
    const result = await calls.resendSignUpCode({ username });
    pending.codeSent(username);
    return result;
  },
});
