import { defineFunction } from '@aws-amplify/backend';

/** Authorizes the order total with Stripe (manual capture), idempotent per order. */
export const authorizePayment = defineFunction({
  name: 'authorizePayment',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
