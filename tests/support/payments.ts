/**
 * What the local Stripe holds for an order (its test hook `GET /_local/payment_intents` and
 * `/_local/refunds`), and its fault hook for transient failures. The hooks exist only in a backend
 * started with LOCAL_TEST_HOOKS=1 and want the backend's Stripe secret key, which the helpers read
 * from SSM as the functions do at cold start.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { StripeFault } from '../../local/engines/stripe';
import { localEndpoint, type Backend } from './backend';

/** Where Amplify keeps the STRIPE_SECRET_KEY secret of this backend (namespace storefront, dev). */
export const STRIPE_SECRET_PARAMETER = '/amplify/storefront/dev/STRIPE_SECRET_KEY';

const secretKeys = new Map<string, Promise<string>>();

/** The Stripe secret key the backend's functions use, read from its SSM through the SDK. */
export function stripeSecretKeyOf(backend: Backend): Promise<string> {
  const known = secretKeys.get(backend.endpoints.ssm);
  if (known) return known;
  const ssm = new SSMClient(localEndpoint(backend.endpoints.ssm));
  const key = ssm
    .send(new GetParameterCommand({ Name: STRIPE_SECRET_PARAMETER, WithDecryption: true }))
    .then((answer) => {
      const value = answer.Parameter?.Value;
      if (!value) throw new Error(`${STRIPE_SECRET_PARAMETER} is empty on this backend`);
      return value;
    })
    .finally(() => ssm.destroy());
  secretKeys.set(backend.endpoints.ssm, key);
  key.catch(() => secretKeys.delete(backend.endpoints.ssm));
  return key;
}

/** fetch() of a local Stripe test hook with the backend's secret key, as Stripe wants its key. */
async function stripeHook(backend: Backend, path: string, init: RequestInit = {}) {
  const key = await stripeSecretKeyOf(backend);
  return fetch(`${backend.endpoints.stripe}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` },
  });
}

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

async function getJson<T>(backend: Backend, path: string): Promise<T> {
  const response = await stripeHook(backend, path);
  if (!response.ok)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every PaymentIntent the local Stripe holds. */
export const allPaymentIntents = (backend: Backend): Promise<LocalPaymentIntent[]> =>
  getJson<LocalPaymentIntent[]>(backend, '/_local/payment_intents');

/** Every PaymentIntent the local Stripe made for this order (metadata.orderId). */
export async function paymentIntentsFor(
  backend: Backend,
  orderId: string,
): Promise<LocalPaymentIntent[]> {
  const all = await allPaymentIntents(backend);
  return all.filter((intent) => intent.metadata['orderId'] === orderId);
}

/** Every refund of these PaymentIntents. */
export async function refundsFor(
  backend: Backend,
  paymentIntentIds: readonly string[],
): Promise<LocalRefund[]> {
  const all = await getJson<LocalRefund[]>(backend, '/_local/refunds');
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
  const response = await stripeHook(backend, '/_local/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`Stripe fault refused: ${await response.text()}`);
}

/** Stripe faults still armed (not yet used up). */
export async function armedStripeFaults(backend: Backend): Promise<StripeFault[]> {
  return getJson<StripeFault[]>(backend, '/_local/faults');
}

/** Disarms every Stripe fault still armed. */
export async function clearStripeFaults(backend: Backend): Promise<void> {
  const response = await stripeHook(backend, '/_local/faults', { method: 'DELETE' });
  if (!response.ok) throw new Error(`Stripe faults not cleared: ${await response.text()}`);
}
