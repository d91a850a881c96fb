import { defineFunction } from '@aws-amplify/backend';

/** Marks the order COMPLETED. */
export const completeOrder = defineFunction({
  name: 'completeOrder',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 15,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
