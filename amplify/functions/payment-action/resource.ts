import { defineFunction } from '@aws-amplify/backend';

/** The client secret of the PaymentIntent an order's bank wants confirmed, for the order's owner only. */
export const paymentAction = defineFunction({
  name: 'paymentAction',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 10,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
