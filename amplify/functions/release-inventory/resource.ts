import { defineFunction } from '@aws-amplify/backend';

/** Compensation: gives back the stock this order took, if any. */
export const releaseInventory = defineFunction({
  name: 'releaseInventory',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
