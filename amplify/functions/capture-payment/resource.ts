import { defineFunction } from '@aws-amplify/backend';

/** Captures the authorized payment. */
export const capturePayment = defineFunction({
  name: 'capturePayment',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
