import { defineFunction } from '@aws-amplify/backend';

/** Returns a short-lived presigned URL for the receipt of an order the caller owns. */
export const receiptUrl = defineFunction({
  name: 'receiptUrl',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 10,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
