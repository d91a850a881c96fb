import { defineFunction } from '@aws-amplify/backend';

/**
 * Stripe's webhook behind the HTTP API: verifies each delivery's signature, handles each event
 * once, resumes orders waiting on the shopper's bank and keeps orders true after the saga.
 */
export const stripeWebhook = defineFunction({
  name: 'stripeWebhook',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 15,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
