import Stripe from 'stripe';
import { readEnv } from './env';
import type { PaymentIntentState } from '../../domain/payment';
import { inSubsegment } from './tracing';

/** The Stripe API version this code was written against (the SDK's own pin). */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

let stripeClient: Stripe | undefined;

/**
 * The Stripe client, created once per container from STRIPE_SECRET_KEY. STRIPE_API_HOST/PORT/
 * PROTOCOL, when set, point it at another Stripe-compatible API (the local engine).
 */
export const stripe = (): Stripe => {
  if (!stripeClient) {
    const env = readEnv([
      'STRIPE_SECRET_KEY',
      'STRIPE_API_HOST',
      'STRIPE_API_PORT',
      'STRIPE_API_PROTOCOL',
    ]);
    stripeClient = new Stripe(env.STRIPE_SECRET_KEY, {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: 2,
      timeout: 10_000,
      telemetry: false,
      httpClient: tracedHttpClient(),
      ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
      ...(env.STRIPE_API_PORT ? { port: env.STRIPE_API_PORT } : {}),
      ...(env.STRIPE_API_PROTOCOL ? { protocol: env.STRIPE_API_PROTOCOL } : {}),
    });
  }
  return stripeClient;
};

/** Stripe's own Node HTTP client, with one X-Ray subsegment per request where tracing is on. */
const tracedHttpClient = (): Stripe.HttpClient => {
  const base = Stripe.createNodeHttpClient();
  const traced = Object.create(base) as Stripe.HttpClient;
  traced.makeRequest = (host, port, path, method, ...rest) =>
    inSubsegment(`Stripe ${method} ${path.split('?')[0] ?? ''}`, () =>
      base.makeRequest(host, port, path, method, ...rest),
    );
  return traced;
};

/**
 * The part of the Stripe client the payment steps use, so their unit tests can hand them a fake;
 * `stripe()` is the real one.
 */
export interface Payments {
  paymentIntents: {
    create(
      params: Stripe.PaymentIntentCreateParams,
      options: Stripe.RequestOptions,
    ): Promise<PaymentIntentState>;
    retrieve(id: string): Promise<PaymentIntentState>;
    capture(
      id: string,
      params: Stripe.PaymentIntentCaptureParams,
      options: Stripe.RequestOptions,
    ): Promise<PaymentIntentState>;
    cancel(
      id: string,
      params: Stripe.PaymentIntentCancelParams,
      options: Stripe.RequestOptions,
    ): Promise<PaymentIntentState>;
    search(params: Stripe.PaymentIntentSearchParams): AsyncIterable<PaymentIntentState>;
  };
  refunds: {
    create(params: Stripe.RefundCreateParams, options: Stripe.RequestOptions): Promise<unknown>;
  };
}
