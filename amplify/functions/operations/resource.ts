import { defineFunction } from '@aws-amplify/backend';

/**
 * The operations page's resolver (ADMINS only): order counts and failures, queue and DLQ depth,
 * the DLQ redrive, executions with per-step timings, and one order's story.
 */
export const operations = defineFunction({
  name: 'operations',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 20,
  memoryMB: 512,
  resourceGroupName: 'data',
  logging: { format: 'json', level: 'info', retention: '1 month' },
});
