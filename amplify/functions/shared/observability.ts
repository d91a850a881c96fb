import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from './metric-names';

export { DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_NAME } from './metric-names';

/*
 * Powertools for every function, in one place: handlers are wrapped once with `observed(...)`
 * (the saga's runner does it for every step), and business metrics are named here only.
 *
 * - Logger: one JSON object per line, with cold_start, function_name and request id (from the
 *   Lambda context) and the order id and execution name of the invocation. Its level is
 *   POWERTOOLS_LOG_LEVEL (backend.ts sets it from the LOG_LEVEL deploy setting).
 * - Metrics: CloudWatch embedded metric format in the same log stream, namespace SagaSupply,
 *   dimension `service` on every metric; published when the invocation ends.
 */

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/** One data point of a business metric, in the unit CloudWatch stores it in. */
export interface MetricPoint {
  name: (typeof METRIC)[keyof typeof METRIC];
  unit: 'Count' | 'Milliseconds' | 'None';
  value: number;
  /** Dimensions beside `service` (one EMF document of its own, as a document has one dimension set). */
  dimensions?: Record<string, string>;
  /** Also emit the point with `service` only: the total across the dimensions (what an alarm sums). */
  rollUp?: boolean;
}

const UNITS = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  None: MetricUnit.NoUnit,
} as const;

/** Records points for this invocation; `observed` publishes them when it ends. */
export const record = (...points: readonly MetricPoint[]): void => {
  for (const point of points) {
    const unit = UNITS[point.unit];
    const dimensions = Object.entries(point.dimensions ?? {});
    if (dimensions.length === 0 || point.rollUp) metrics.addMetric(point.name, unit, point.value);
    if (dimensions.length > 0) {
      const single = metrics.singleMetric();
      for (const [name, value] of dimensions) single.addDimension(name, value);
      single.addMetric(point.name, unit, point.value);
    }
  }
};

/** The order and execution an invocation is about, put on every log line it writes. */
export interface InvocationKeys {
  orderId?: string;
  executionName?: string;
}

/** Reads `orderId` and `executionName` from a saga step's input (`{orderId, executionName?}`). */
export const keysOfStepInput = (event: unknown): InvocationKeys => {
  if (typeof event !== 'object' || event === null) return {};
  const { orderId, executionName } = event as Record<string, unknown>;
  return {
    ...(typeof orderId === 'string' ? { orderId } : {}),
    ...(typeof executionName === 'string' ? { executionName } : {}),
  };
};

export type LambdaHandler<Output> = (event: unknown, context?: Context) => Promise<Output>;

export interface ObservedOptions {
  /** The order id and execution name to log on every line (read from the event). */
  keysOf?: (event: unknown) => InvocationKeys;
}

/**
 * Wraps a handler with Powertools: Lambda context and the event's keys on every log line, an error
 * line (with the error's name and stack) for a failed invocation before it is rethrown unchanged,
 * and the invocation's metrics published when it ends, whatever the outcome.
 */
export const observed =
  <Output>(handler: LambdaHandler<Output>, options: ObservedOptions = {}): LambdaHandler<Output> =>
  async (event, context) => {
    if (context) logger.addContext(context);
    const keys = options.keysOf?.(event) ?? {};
    logger.appendKeys({ ...keys });
    try {
      return await handler(event, context);
    } catch (error) {
      logger.error('invocation failed', error as Error);
      throw error;
    } finally {
      // Powertools warns on every publish with nothing stored: most invocations record nothing.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.removeKeys(Object.keys(keys));
    }
  };
