import { defineFunction } from '@aws-amplify/backend';

/** Renders the PDF receipt and stores it in the receipts bucket. */
export const generateReceipt = defineFunction({
  name: 'generateReceipt',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 30,
  memoryMB: 512,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
