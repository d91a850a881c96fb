import { describe, expect, it } from 'vitest';
import { formatFunctionLog } from './log-line';

// A line as Powertools Logger writes it from the capturePayment step (keys as it orders them).
const POWERTOOLS_LINE = JSON.stringify({
  cold_start: true,
  function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:capturePayment',
  function_memory_size: '256',
  function_name: 'capturePayment',
  function_request_id: '5b1a0c0e-1f1e-4d2f-9d3c-0f5a7a1b2c3d',
  level: 'INFO',
  message: 'order moved to PAYMENT_CAPTURED',
  service: 'saga-supply',
  timestamp: '2026-12-01T03:04:05.678Z',
  orderId: 'ord-7f3a',
  executionName: 'ord-7f3a',
  from: 'INVENTORY_RESERVED',
});

describe('Local Lambda: a function log line in the dev terminal', () => {
  it('shortens a Powertools line to function, level, order id and message', () => {
    expect(formatFunctionLog('capturePayment', POWERTOOLS_LINE)).toBe(
      '[capturePayment] INFO  ord-7f3a order moved to PAYMENT_CAPTURED',
    );
  });

  it("adds the error's name and message to an error line", () => {
    const line = JSON.stringify({
      level: 'ERROR',
      message: 'invocation failed',
      orderId: 'ord-1',
      error: { name: 'PaymentFailedError', message: 'card declined', stack: 'at x\nat y' },
    });
    expect(formatFunctionLog('authorizePayment', line)).toBe(
      '[authorizePayment] ERROR ord-1 invocation failed: PaymentFailedError: card declined',
    );
  });

  it('leaves the order id out of a line that has none', () => {
    const line = JSON.stringify({ level: 'WARN', message: 'StorefrontNotTold', status: 503 });
    expect(formatFunctionLog('revalidateStorefront', line)).toBe(
      '[revalidateStorefront] WARN  StorefrontNotTold',
    );
  });

  it('prints nothing for a metrics (EMF) document or a blank line', () => {
    const emf = JSON.stringify({
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'SagaSupply', Metrics: [] }] },
      service: 'saga-supply',
      StepDuration: 12,
    });
    expect(formatFunctionLog('validateOrder', emf)).toBeNull();
    expect(formatFunctionLog('validateOrder', '   ')).toBeNull();
  });

  it.each([
    ['plain text', 'Error: something broke'],
    ['JSON that is not a log entry', '{"orderId":"ord-1"}'],
    ['broken JSON', '{"level":"INFO","message":'],
    ['a JSON array', '[1,2]'],
  ])('keeps %s whole, prefixed with the function', (_kind, line) => {
    expect(formatFunctionLog('placeOrder', line)).toBe(`[placeOrder] ${line}`);
  });

  it('prints every line whole when verbose, metrics included', () => {
    expect(formatFunctionLog('capturePayment', POWERTOOLS_LINE, { verbose: true })).toBe(
      `[capturePayment] ${POWERTOOLS_LINE}`,
    );
    expect(formatFunctionLog('x', '{"_aws":{}}', { verbose: true })).toBe('[x] {"_aws":{}}');
  });
});
