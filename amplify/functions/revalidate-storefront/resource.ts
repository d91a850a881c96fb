import { defineFunction } from '@aws-amplify/backend';

/**
 * The backend's webhook to the storefront: on an order event that moved stock (OrderCompleted,
 * OrderFailed), POSTs the products' ids to the storefront's /api/revalidate so cached grids show
 * the new stock. Never retried and never fails: the cache's own lifetime bounds staleness.
 */
export const revalidateStorefront = defineFunction({
  name: 'revalidateStorefront',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 10,
  memoryMB: 128,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
