import { defineFunction } from '@aws-amplify/backend';

/** Books the parcel with the carrier, stores the tracking number and emails the shopper. */
export const createShipment = defineFunction({
  name: 'createShipment',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
