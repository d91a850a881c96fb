import { defineFunction } from '@aws-amplify/backend';

/** Checks that every line is a known, active product with stock and the price the order was given. */
export const validateOrder = defineFunction({
  name: 'validateOrder',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 15,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
