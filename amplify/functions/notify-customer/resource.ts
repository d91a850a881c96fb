import { defineFunction } from '@aws-amplify/backend';

/** Publishes the confirmed order to OrderEvents and emails the shopper. */
export const notifyCustomer = defineFunction({
  name: 'notifyCustomer',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
