'use client';

import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useRef, useState, type FocusEvent } from 'react';
import type { StorefrontApiError } from '@/lib/api-errors';
import {
  EMPTY_FIELDS,
  FIELD_LABELS,
  newIdempotencyKey,
  validateCheckout,
  type CheckoutField,
  type CheckoutFields,
  type FieldErrors,
} from '@/lib/checkout-form';
import { publicEnv } from '@/lib/env';
import { cartTotals } from '@/lib/pricing';
import { placeOrder, type Shopper } from '@/lib/shopper-api';
import { RequireShopper } from '../auth/require-shopper';
import { useHydrated } from '../ui/use-hydrated';
import { useCart } from '../cart/cart-context';
import { CartSummary } from '../cart/cart-summary';
import { inputStyle, primaryButton } from '../ui/button-styles';
import { Price } from '../ui/price';
import { useBackend } from '../auth/amplify-provider';
import { LocalCardForm, type CardFormHandle } from './local-card-form';
import { useRestoredOrder } from './restore-order';
import type { CreatePaymentMethod } from './stripe-payment';
import { FieldError } from '@/components/ui/field-error';

// Stripe's code is only fetched when a publishable key is configured.
const StripePayment = dynamic(() => import('./stripe-payment').then((m) => m.StripePayment), {
  ssr: false,
  loading: () => <p role="status">Loading the card form…</p>,
});

// Refusals the server made before storing anything: a fresh key is safe for the next attempt.
const REFUSED = new Set([
  'INVALID_ORDER',
  'PRODUCT_UNAVAILABLE',
  'PRICE_CHANGED',
  'OUT_OF_STOCK',
  'UNAUTHORIZED',
]);

const COUNTRIES = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['GB', 'United Kingdom'],
  ['IE', 'Ireland'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['AU', 'Australia'],
  ['NZ', 'New Zealand'],
  ['JP', 'Japan'],
] as const;

/** The checkout page: sign in, address, payment, place the order. */
export function Checkout({ retryOrderId }: { retryOrderId?: string }) {
  return (
    <RequireShopper reason="Sign in or create an account to check out. Your cart is kept.">
      {(shopper) => <CheckoutForm shopper={shopper} retryOrderId={retryOrderId} />}
    </RequireShopper>
  );
}

function CheckoutForm({ shopper, retryOrderId }: { shopper: Shopper; retryOrderId?: string }) {
  const router = useRouter();
  const restored = useRestoredOrder(retryOrderId);
  const hydrated = useHydrated();
  const { lines, refresh, clear } = useCart();
  const [fields, setFields] = useState<CheckoutFields>(EMPTY_FIELDS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [touched, setTouched] = useState<Partial<Record<CheckoutField, boolean>>>({});
  const [status, setStatus] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const idempotencyKey = useRef<string | null>(null);
  const submitting = useRef(false);
  const createPaymentMethod = useRef<CreatePaymentMethod | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const localCard = useRef<CardFormHandle | null>(null);
  const onStripeReady = useCallback((create: CreatePaymentMethod | null) => {
    createPaymentMethod.current = create;
  }, []);
  const onCardFormReady = useCallback((handle: CardFormHandle | null) => {
    localCard.current = handle;
    createPaymentMethod.current = handle ? () => handle.create() : null;
  }, []);
  const { outputs } = useBackend();

  // Applied once per restore, while rendering (React's way to adjust state to a new input).
  const [appliedRestore, setAppliedRestore] = useState<typeof restored | null>(null);
  if (restored !== appliedRestore && (restored.state === 'done' || restored.state === 'failed')) {
    setAppliedRestore(restored);
    if (restored.state === 'done') setFields(restored.fields);
    setStatus({ tone: restored.state === 'done' ? 'info' : 'error', text: restored.message });
  }

  const stripeKey = publicEnv.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
  const localStripeUrl = outputs?.custom?.local?.stripe;
  const localStripeKey = outputs?.custom?.local?.stripePublishableKey;
  // Offline, the browser reaches the local Stripe as stripe.js reaches Stripe: URL plus publishable key.
  const localStripe = useMemo(
    () =>
      localStripeUrl && localStripeKey
        ? { url: localStripeUrl, publishableKey: localStripeKey }
        : null,
    [localStripeUrl, localStripeKey],
  );
  const totals = cartTotals(lines);

  if (!hydrated || restored.state === 'restoring') return <p role="status">Loading your cart…</p>;
  if (lines.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-neutral-300 p-10 text-center">
        <p className="text-lg font-medium">Your cart is empty.</p>
        <Link href="/products" className={`${primaryButton} mt-6`}>
          Start shopping
        </Link>
      </div>
    );
  }

  const update = (field: CheckoutField, value: string) => {
    const next = { ...fields, [field]: value };
    setFields(next);
    if (touched[field]) {
      const result = validateCheckout(next);
      setErrors(result.ok ? {} : result.errors);
    }
  };

  const onBlur = (event: FocusEvent<HTMLInputElement | HTMLSelectElement>) => {
    const field = event.target.name as CheckoutField;
    setTouched((t) => ({ ...t, [field]: true }));
    const result = validateCheckout(fields);
    setErrors(result.ok ? {} : result.errors);
  };

  const submit = async () => {
    // A ref, not state: a double click lands before React re-renders the disabled button.
    if (submitting.current) return;
    submitting.current = true;
    setPending(true);
    setStatus({ tone: 'info', text: 'Placing your order…' });
    try {
      const validation = validateCheckout(fields);
      // Both parts of the form show their problems at once.
      const cardOk = localCard.current?.check({ focus: validation.ok }) ?? true;
      if (!validation.ok) {
        setErrors(validation.errors);
        setTouched(Object.fromEntries(Object.keys(FIELD_LABELS).map((k) => [k, true])));
        setStatus({ tone: 'error', text: 'Please correct the highlighted fields.' });
        const first = Object.keys(validation.errors)[0];
        if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
        return;
      }
      if (!cardOk) {
        setStatus({ tone: 'error', text: 'Please check your card details.' });
        return;
      }
      const problems = await refresh();
      if (problems === null) {
        setStatus({
          tone: 'error',
          text: 'We could not check your cart right now. Please try again.',
        });
        return;
      }
      if (problems.length > 0) {
        setStatus({
          tone: 'error',
          text: `Your cart changed since you added these items: ${problems.map((p) => p.message).join(' ')} Nothing was ordered; please review and place the order again.`,
        });
        return;
      }
      if (!createPaymentMethod.current) {
        setStatus({ tone: 'error', text: 'The card form is still loading. Please try again.' });
        return;
      }
      const paymentMethodId = await createPaymentMethod.current();
      idempotencyKey.current ??= newIdempotencyKey();
      const order = await placeOrder({
        idempotencyKey: idempotencyKey.current,
        shippingAddress: validation.shippingAddress,
        lines: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
        paymentMethodId,
      });
      setStatus({ tone: 'info', text: 'Order placed. Taking you to it…' });
      clear();
      router.push(`/orders/${encodeURIComponent(order.id)}`);
    } catch (thrown) {
      const error = thrown as Partial<StorefrontApiError> & Error;
      if (error.code && REFUSED.has(error.code)) idempotencyKey.current = null;
      const detail = error.detail && error.detail !== error.message ? ` (${error.detail})` : '';
      setStatus({ tone: 'error', text: `${error.message}${detail}` });
      if (
        error.code === 'OUT_OF_STOCK' ||
        error.code === 'PRODUCT_UNAVAILABLE' ||
        error.code === 'PRICE_CHANGED'
      ) {
        void refresh();
      }
    } finally {
      submitting.current = false;
      setPending(false);
    }
  };

  const field = (
    name: CheckoutField,
    props: { type?: string; autoComplete: string; required?: boolean },
  ) => {
    const error = touched[name] ? errors[name] : undefined;
    const id = `checkout-${name}`;
    return (
      <div>
        <label htmlFor={id} className="mb-1 block text-sm font-medium">
          {FIELD_LABELS[name]}
        </label>
        <input
          id={id}
          name={name}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          value={fields[name]}
          required={props.required ?? true}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => update(name, e.target.value)}
          onBlur={onBlur}
          className={inputStyle}
        />
        <FieldError id={`${id}-error`} error={error} />
      </div>
    );
  };

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      className="grid gap-10 lg:grid-cols-[1fr_22rem]"
    >
      <div className="space-y-8">
        <section aria-labelledby="contact-heading" className="space-y-4">
          <h2 id="contact-heading" className="text-lg font-semibold">
            Contact
          </h2>
          <p className="text-sm text-neutral-700">
            Order updates go to {shopper.email ?? 'the email address of your account'}.
          </p>
        </section>
        <section aria-labelledby="shipping-heading" className="space-y-4">
          <h2 id="shipping-heading" className="text-lg font-semibold">
            Shipping address
          </h2>
          {field('name', { autoComplete: 'name' })}
          {field('line1', { autoComplete: 'address-line1' })}
          {field('line2', { autoComplete: 'address-line2', required: false })}
          <div className="grid gap-4 sm:grid-cols-2">
            {field('city', { autoComplete: 'address-level2' })}
            {field('region', { autoComplete: 'address-level1', required: false })}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            {field('postalCode', { autoComplete: 'postal-code' })}
            <div>
              <label htmlFor="checkout-country" className="mb-1 block text-sm font-medium">
                {FIELD_LABELS.country}
              </label>
              <select
                id="checkout-country"
                name="country"
                autoComplete="country"
                value={fields.country}
                onChange={(e) => update('country', e.target.value)}
                onBlur={onBlur}
                className={inputStyle}
              >
                {COUNTRIES.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </section>
        <section aria-labelledby="payment-heading" className="space-y-4">
          <h2 id="payment-heading" className="text-lg font-semibold">
            Payment
          </h2>
          {stripeKey ? (
            <StripePayment
              publishableKey={stripeKey}
              amountCents={totals.totalCents}
              currency={lines[0]?.currency ?? 'USD'}
              onReady={onStripeReady}
            />
          ) : localStripe ? (
            <LocalCardForm stripe={localStripe} onReady={onCardFormReady} />
          ) : (
            <p role="alert" className="rounded-xl bg-red-50 p-4 text-sm text-red-800">
              Card payments are not set up: set NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY for Stripe, or
              run the local backend with <code>npm run dev</code>.
            </p>
          )}
        </section>
      </div>
      <aside
        aria-labelledby="review-heading"
        className="h-fit space-y-5 rounded-2xl border border-neutral-200 p-6 lg:sticky lg:top-24"
      >
        <h2 id="review-heading" className="text-lg font-semibold">
          Your order
        </h2>
        <ul className="space-y-2 text-sm">
          {lines.map((line) => (
            <li key={line.productId} className="flex justify-between gap-3">
              <span>
                {line.name} <span className="text-neutral-600">× {line.quantity}</span>
              </span>
              <Price cents={line.priceCents * line.quantity} currency={line.currency} />
            </li>
          ))}
        </ul>
        <CartSummary totals={totals} currency={lines[0]?.currency} />
        <button
          type="submit"
          className={`${primaryButton} w-full`}
          disabled={pending}
          aria-disabled={pending}
        >
          {pending ? 'Placing order…' : 'Place order'}
        </button>
        <div role="status" aria-live="polite">
          {status ? (
            <p
              className={
                status.tone === 'error'
                  ? 'rounded-lg bg-red-50 p-3 text-sm text-red-800'
                  : 'text-sm text-neutral-700'
              }
            >
              {status.text}
            </p>
          ) : null}
        </div>
        <p className="text-xs text-neutral-600">Signed in as {shopper.email}.</p>
      </aside>
    </form>
  );
}
