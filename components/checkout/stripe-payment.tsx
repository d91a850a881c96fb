'use client';

import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import type { Stripe } from '@stripe/stripe-js';
import { useEffect } from 'react';

let stripePromise: Promise<Stripe | null> | null = null;
const stripeFor = (key: string) => (stripePromise ??= loadStripe(key));

/** Turns what the shopper typed into the Payment Element into a PaymentMethod id. */
export type CreatePaymentMethod = () => Promise<string>;

function Bridge({ onReady }: { onReady: (create: CreatePaymentMethod | null) => void }) {
  const stripe = useStripe();
  const elements = useElements();
  useEffect(() => {
    if (!stripe || !elements) return;
    onReady(async () => {
      const submitted = await elements.submit();
      if (submitted.error) throw new Error(submitted.error.message ?? 'Check your card details.');
      const created = await stripe.createPaymentMethod({ elements });
      if (created.error) throw new Error(created.error.message ?? 'Your card could not be used.');
      return created.paymentMethod.id;
    });
    return () => onReady(null);
  }, [stripe, elements, onReady]);
  return null;
}

/** Stripe's Payment Element, used when NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY is set. */
export function StripePayment({
  publishableKey,
  amountCents,
  currency,
  onReady,
}: {
  publishableKey: string;
  amountCents: number;
  currency: string;
  onReady: (create: CreatePaymentMethod | null) => void;
}) {
  return (
    <Elements
      stripe={stripeFor(publishableKey)}
      options={{
        mode: 'payment',
        amount: Math.max(amountCents, 50),
        currency: currency.toLowerCase(),
        captureMethod: 'manual',
        paymentMethodCreation: 'manual',
      }}
    >
      <Bridge onReady={onReady} />
      <PaymentElement />
    </Elements>
  );
}
