import { defineFunction } from '@aws-amplify/backend';

/** Consumes OrdersQueue and starts one Standard execution per order, named by the order id. */
export const startOrderWorkflow = defineFunction({
  name: 'startOrderWorkflow',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 30,
  memoryMB: 256,
  resourceGroupName: 'order-intake',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
