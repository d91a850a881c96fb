import type { CardDetails, CardField } from './card-form';
import { fieldOfStripeParam } from './card-form';

/** The local Stripe engine as the browser reaches it: its URL and a publishable key. */
export interface LocalStripe {
  url: string;
  publishableKey: string;
}

export type CreatedPaymentMethod =
  { ok: true; id: string } | { ok: false; message: string; field?: CardField };

/**
 * Creates a card PaymentMethod the way stripe.js does: straight from the browser to Stripe with the
 * publishable key in a form body (a simple request, no preflight), so card details never pass
 * through the storefront's server. Never throws: a refusal comes back with Stripe's message.
 */
export async function createPaymentMethod(
  stripe: LocalStripe,
  card: CardDetails,
  fetchImpl: typeof fetch = fetch,
): Promise<CreatedPaymentMethod> {
  const body = new URLSearchParams({
    type: 'card',
    'card[number]': card.number,
    'card[exp_month]': String(card.expMonth),
    'card[exp_year]': String(card.expYear),
    'card[cvc]': card.cvc,
    'billing_details[address][postal_code]': card.postalCode,
    key: stripe.publishableKey,
  });
  let response: Response;
  try {
    response = await fetchImpl(new URL('/v1/payment_methods', stripe.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  } catch {
    return { ok: false, message: 'We could not reach the payment service. Please try again.' };
  }
  const answer = (await response.json().catch(() => null)) as {
    id?: string;
    error?: { message?: string; param?: string };
  } | null;
  if (response.ok && typeof answer?.id === 'string') return { ok: true, id: answer.id };
  const field = fieldOfStripeParam(answer?.error?.param);
  return {
    ok: false,
    message:
      answer?.error?.message ?? 'Your card could not be used. Please check it and try again.',
    ...(field ? { field } : {}),
  };
}
