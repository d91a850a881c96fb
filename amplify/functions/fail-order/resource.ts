import { defineFunction } from '@aws-amplify/backend';

/** Marks the order FAILED with the shopper-facing reason and publishes to OrderErrors. */
export const failOrder = defineFunction({
  name: 'failOrder',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 15,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
