import { defineFunction } from '@aws-amplify/backend';

/** Compensation: cancels the authorization or refunds the capture, if any. */
export const voidPayment = defineFunction({
  name: 'voidPayment',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
