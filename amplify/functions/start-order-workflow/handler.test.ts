import { describe, expect, it, vi } from 'vitest';
import { startOrderWorkflowWith } from './handler';

const record = (messageId: string, body: string) => ({ messageId, body });

describe('Function: startOrderWorkflow handler', () => {
  it('starts one execution per order and reports no failure', async () => {
    // Prepare
    const start = vi.fn(async () => 'started' as const);
    // Act
    const result = await startOrderWorkflowWith(start)({
      Records: [record('m1', '{"orderId":"o-1"}'), record('m2', '{"orderId":"o-2"}')],
    });
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(start.mock.calls).toEqual([['o-1'], ['o-2']]);
  });

  it('counts an execution that already exists as started', async () => {
    const result = await startOrderWorkflowWith(async () => 'already-started')({
      Records: [record('m1', '{"orderId":"o-1"}')],
    });
    expect(result.batchItemFailures).toEqual([]);
  });

  it.each(['not json', '{}', '{"orderId":""}', '{"orderId":42}'])(
    'fails a malformed body %s (so it reaches the DLQ)',
    async (body) => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const start = vi.fn(async () => 'started' as const);
      const result = await startOrderWorkflowWith(start)({
        Records: [record('bad', body), record('good', '{"orderId":"o-1"}')],
      });
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
      expect(start).toHaveBeenCalledTimes(1);
    },
  );

  it('fails only the records whose start failed', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const start = vi.fn(async (orderId: string) => {
      if (orderId === 'o-2') throw new Error('throttled');
      return 'started' as const;
    });
    const result = await startOrderWorkflowWith(start)({
      Records: [record('m1', '{"orderId":"o-1"}'), record('m2', '{"orderId":"o-2"}')],
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
  });
});
