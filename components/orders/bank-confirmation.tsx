'use client';

import { useState } from 'react';
import type { StorefrontApiError } from '@/lib/api-errors';
import { publicEnv } from '@/lib/env';
import { getBankConfirmation } from '@/lib/shopper-api';
import { primaryButton } from '../ui/button-styles';

/**
 * 3-D Secure: the shopper's bank wants the shopper to confirm the payment. One button: with
 * Stripe (a publishable key) it runs Stripe.js `handleNextAction`, which shows the bank's own
 * page; offline it opens the local Stripe's authentication page, which comes back here. Either
 * way the order moves on by itself once the bank has answered (the page is live).
 */
export function BankConfirmation({ orderId }: { orderId: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const action = await getBankConfirmation(orderId);
      const key = publicEnv.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
      if (key) {
        const { loadStripe } = await import('@stripe/stripe-js/pure');
        const stripe = await loadStripe(key);
        if (!stripe)
          throw new Error('Stripe could not be loaded. Check your connection and try again.');
        const result = await stripe.handleNextAction({ clientSecret: action.clientSecret });
        if (result.error)
          setProblem(result.error.message ?? 'Your bank did not confirm the payment.');
      } else if (action.redirectUrl) {
        const page = new URL(action.redirectUrl);
        page.searchParams.set('return_url', window.location.href);
        window.location.assign(page.toString());
        return;
      } else {
        throw new Error('Payments are not set up: NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY is missing.');
      }
    } catch (thrown) {
      setProblem((thrown as StorefrontApiError | Error).message);
    }
    setBusy(false);
  };

  return (
    <section
      aria-labelledby="bank-heading"
      className="rounded-2xl border border-violet-200 bg-violet-50 p-5 text-violet-950"
    >
      <h2 id="bank-heading" className="font-semibold">
        Your bank wants to confirm this payment
      </h2>
      <p className="mt-1 text-sm">
        Your order is waiting for you. Confirm the payment with your bank and it goes on by itself;
        if it is not confirmed within a few minutes, the order is cancelled and you are not charged.
      </p>
      <button
        type="button"
        className={`${primaryButton} mt-4`}
        onClick={() => void confirm()}
        disabled={busy}
      >
        {busy ? 'Opening your bank…' : 'Confirm with your bank'}
      </button>
      {problem ? (
        <p role="alert" className="mt-3 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
