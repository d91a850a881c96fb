/**
 * Registers the local backend's Stripe webhook with the local Stripe, as a developer registers
 * the deployed one in Stripe's dashboard: through Stripe's API (the real `stripe` SDK). An endpoint
 * left by an earlier start is replaced, since Stripe shows a signing secret only at creation.
 */
import Stripe from 'stripe';
import type { LocalConfig } from './config';

/** The events the webhook handles (amplify/functions/stripe-webhook/webhook.ts). */
export const WEBHOOK_EVENTS: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = [
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.refunded',
  'charge.dispute.created',
];

/** Creates the endpoint for `url` and returns its signing secret. */
export async function registerStripeWebhook(config: LocalConfig, url: string): Promise<string> {
  const stripeUrl = new URL(config.endpoints.stripe);
  const stripe = new Stripe(config.stripeSecretKey, {
    host: stripeUrl.hostname,
    port: Number(stripeUrl.port),
    protocol: 'http',
    telemetry: false,
  });
  for (const old of (await stripe.webhookEndpoints.list()).data)
    if (old.url === url) await stripe.webhookEndpoints.del(old.id);
  const endpoint = await stripe.webhookEndpoints.create({
    url,
    enabled_events: WEBHOOK_EVENTS,
    description: 'Saga Supply local backend',
  });
  if (!endpoint.secret) throw new Error('The local Stripe made a webhook endpoint with no secret');
  return endpoint.secret;
}
