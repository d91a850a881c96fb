import { defineFunction } from '@aws-amplify/backend';

/** Prices a cart on the server, stores it PENDING under its idempotency key and queues it. */
export const placeOrder = defineFunction({
  name: 'placeOrder',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 15,
  memoryMB: 512,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
