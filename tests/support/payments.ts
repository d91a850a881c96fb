/**
 * What the local Stripe holds for an order (its test hook `GET /_local/payment_intents` and
 * `/_local/refunds`), and its fault hook for transient failures.
 */
import type { StripeFault } from '../../local/engines/stripe';
import type { Backend } from './backend';

export interface LocalPaymentIntent {
  id: string;
  amount: number;
  amount_received: number;
  amount_capturable: number;
  currency: string;
  status: string;
  metadata: Record<string, string>;
}

export interface LocalRefund {
  id: string;
  amount: number;
  payment_intent: string;
  status: string;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Every PaymentIntent the local Stripe made for this order (metadata.orderId). */
export async function paymentIntentsFor(
  backend: Backend,
  orderId: string,
): Promise<LocalPaymentIntent[]> {
  const all = await getJson<LocalPaymentIntent[]>(
    `${backend.endpoints.stripe}/_local/payment_intents`,
  );
  return all.filter((intent) => intent.metadata['orderId'] === orderId);
}

/** Every refund of these PaymentIntents. */
export async function refundsFor(
  backend: Backend,
  paymentIntentIds: readonly string[],
): Promise<LocalRefund[]> {
  const all = await getJson<LocalRefund[]>(`${backend.endpoints.stripe}/_local/refunds`);
  return all.filter((refund) => paymentIntentIds.includes(refund.payment_intent));
}

/**
 * What the shopper was charged for an order, net: captured minus refunded. Open authorizations
 * (requires_capture) are money held on the card and are reported apart.
 */
export async function chargesFor(
  backend: Backend,
  orderId: string,
): Promise<{ intents: LocalPaymentIntent[]; netCharged: number; held: number }> {
  const intents = await paymentIntentsFor(backend, orderId);
  const refunds = await refundsFor(
    backend,
    intents.map((i) => i.id),
  );
  const captured = intents.reduce(
    (sum, i) => sum + (i.status === 'succeeded' ? i.amount_received : 0),
    0,
  );
  const refunded = refunds.reduce((sum, r) => sum + (r.status === 'succeeded' ? r.amount : 0), 0);
  const held = intents.reduce(
    (sum, i) => sum + (i.status === 'requires_capture' ? i.amount_capturable : 0),
    0,
  );
  return { intents, netCharged: captured - refunded, held };
}

/**
 * Makes the next `count` Stripe requests of `operation` fail (e.g. payment_intents.create): by
 * default before they change anything; with `when: 'after'` once they took effect (answer lost).
 */
export async function injectStripeFault(backend: Backend, fault: StripeFault): Promise<void> {
  const response = await fetch(`${backend.endpoints.stripe}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`Stripe fault refused: ${await response.text()}`);
}

/** Stripe faults still armed (not yet used up). */
export async function armedStripeFaults(backend: Backend): Promise<StripeFault[]> {
  return getJson<StripeFault[]>(`${backend.endpoints.stripe}/_local/faults`);
}

/** Disarms every Stripe fault still armed. */
export async function clearStripeFaults(backend: Backend): Promise<void> {
  await fetch(`${backend.endpoints.stripe}/_local/faults`, { method: 'DELETE' });
}
