import { defineFunction } from '@aws-amplify/backend';

/** Seeds the catalog once per deployment that brings a new one (a CloudFormation custom resource, backend.ts). */
export const seedCatalog = defineFunction({
  name: 'seedCatalog',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 120,
  memoryMB: 256,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
