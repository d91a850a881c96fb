import { defineFunction } from '@aws-amplify/backend';

/** Takes stock for every line with conditional writes, giving back what it took if one line fails. */
export const reserveInventory = defineFunction({
  name: 'reserveInventory',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
