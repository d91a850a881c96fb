'use client';

import { confirmSignUp, resendSignUpCode } from 'aws-amplify/auth';
import { useState } from 'react';
import type { PendingSignUp } from '@/lib/pending-sign-up';
import { inputStyle, primaryButton, secondaryButton } from '../ui/button-styles';
import { useBackend } from './amplify-provider';

/** Offline, codes land in the local mailbox: say so, and open it beside this step. */
export function MailboxNote({ email }: { email: string | null }) {
  const href = email ? `/mailbox?to=${encodeURIComponent(email)}` : '/mailbox';
  return (
    <p className="text-sm text-neutral-700">
      This store runs offline: the code arrives in the{' '}
      <a href={href} target="_blank" rel="noopener" className="font-semibold underline">
        local mailbox (opens in a new tab)
      </a>
      . Keep this page open and type the code here.
    </p>
  );
}

/** The "We emailed you" step, resumed after the shopper left the page before typing the code. */
export function ConfirmPendingSignUp({
  pending,
  onConfirmed,
  onCancel,
}: {
  pending: PendingSignUp;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  const { localMode } = useBackend();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);

  const confirm = async () => {
    setBusy(true);
    try {
      await confirmSignUp({ username: pending.email, confirmationCode: code.trim() });
      onConfirmed();
    } catch (error) {
      setMessage({ tone: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const resend = async () => {
    setBusy(true);
    try {
      await resendSignUpCode({ username: pending.email });
      setMessage({ tone: 'info', text: `We sent a new code to ${pending.email}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="space-y-4 rounded-2xl border border-neutral-200 p-6"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm();
      }}
    >
      <h2 className="text-lg font-semibold">We emailed you</h2>
      <p className="text-sm text-neutral-700">
        Finish creating your account: enter the code we emailed to <strong>{pending.email}</strong>{' '}
        at {new Date(pending.sentAt).toLocaleTimeString('en-US', { timeStyle: 'short' })}.
      </p>
      {localMode ? <MailboxNote email={pending.email} /> : null}
      <div>
        <label htmlFor="pending-code" className="mb-1 block text-sm font-medium">
          Confirmation Code
        </label>
        <input
          id="pending-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          className={inputStyle}
        />
      </div>
      <div role="status" aria-live="polite">
        {message ? (
          <p className={message.tone === 'error' ? 'text-sm text-red-700' : 'text-sm'}>
            {message.text}
          </p>
        ) : null}
      </div>
      <button type="submit" className={`${primaryButton} w-full`} disabled={busy}>
        Confirm
      </button>
      <div className="flex flex-wrap justify-between gap-2">
        <button
          type="button"
          className={secondaryButton}
          disabled={busy}
          onClick={() => void resend()}
        >
          Send a new code
        </button>
        <button type="button" className={secondaryButton} onClick={onCancel}>
          Use another account
        </button>
      </div>
    </form>
  );
}
