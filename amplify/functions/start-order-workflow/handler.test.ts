import { describe, expect, it, vi } from 'vitest';
import { startOrderWorkflowWith } from './handler';

// The failures these tests provoke are logged by Powertools; their lines are not what is tested.
vi.hoisted(() => {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
});

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

  it('reports exactly the failed records of a mixed batch (Powertools batch processor)', async () => {
    // Prepare: records shaped as SQS hands them, two of five failing in different ways.
    const sqsRecord = (messageId: string, body: string) => ({
      ...record(messageId, body),
      receiptHandle: `rh-${messageId}`,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:OrdersQueue',
      awsRegion: 'us-east-1',
    });
    const start = vi.fn(async (orderId: string) => {
      if (orderId === 'o-throttled') throw new Error('ThrottlingException');
      return orderId === 'o-dup' ? ('already-started' as const) : ('started' as const);
    });
    // Act
    const result = await startOrderWorkflowWith(start)({
      Records: [
        sqsRecord('m1', '{"orderId":"o-1"}'),
        sqsRecord('m2', '{"orderId":'),
        sqsRecord('m3', '{"orderId":"o-throttled"}'),
        sqsRecord('m4', '{"orderId":"o-dup"}'),
        sqsRecord('m5', '{"orderId":"o-5"}'),
      ],
    });
    // Assess
    expect(result.batchItemFailures).toHaveLength(2);
    expect(result.batchItemFailures).toEqual(
      expect.arrayContaining([{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }]),
    );
    expect(start.mock.calls.map(([id]) => id).sort()).toEqual([
      'o-1',
      'o-5',
      'o-dup',
      'o-throttled',
    ]);
  });

  it('reports a batch whose every record failed, record by record, instead of throwing', async () => {
    const result = await startOrderWorkflowWith(async () => {
      throw new Error('Step Functions is down');
    })({ Records: [record('m1', '{"orderId":"o-1"}'), record('m2', '{"orderId":"o-2"}')] });
    expect(result.batchItemFailures).toEqual(
      expect.arrayContaining([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]),
    );
    expect(result.batchItemFailures).toHaveLength(2);
  });

  it('refuses an event that is not an SQS batch, starting nothing', async () => {
    const start = vi.fn(async () => 'started' as const);
    await expect(startOrderWorkflowWith(start)({ records: [] })).rejects.toThrow();
    expect(start).not.toHaveBeenCalled();
  });
});
