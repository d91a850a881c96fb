import type { Order } from '../domain/order';
import { DIMENSION, METRIC } from '../functions/shared/metric-names';
import type { MetricPoint } from '../functions/shared/observability';

/** How long one saga Lambda ran, split by its state name. */
export const stepDuration = (state: string, milliseconds: number): MetricPoint => ({
  name: METRIC.stepDuration,
  unit: 'Milliseconds',
  value: milliseconds,
  dimensions: { [DIMENSION.step]: state },
});

/** When the order was placed: its PENDING history entry, else its creation time. */
const placedAt = (order: Order): number | undefined => {
  const pending = order.statusHistory?.find((change) => change?.status === 'PENDING')?.at;
  const at = Date.parse(pending ?? order.createdAt ?? '');
  return Number.isNaN(at) ? undefined : at;
};

/**
 * The business metrics of a move a step just made (never of one it found made, so a retry or a
 * duplicate execution counts nothing twice): the captured amount in cents when the payment is
 * captured; a completed order and its time from placed to completed when it completes.
 */
export const metricsOfMove = (moved: Order, now: Date): MetricPoint[] => {
  switch (moved.status) {
    case 'PAYMENT_CAPTURED':
      return [{ name: METRIC.amountCaptured, unit: 'None', value: moved.totalCents }];
    case 'COMPLETED': {
      const placed = placedAt(moved);
      return [
        { name: METRIC.ordersCompleted, unit: 'Count', value: 1 },
        ...(placed === undefined
          ? []
          : [
              {
                name: METRIC.sagaDuration,
                unit: 'Milliseconds',
                value: Math.max(0, now.getTime() - placed),
              } satisfies MetricPoint,
            ]),
      ];
    }
    default:
      return [];
  }
};

/** A failed order, counted in total and by its failure code. */
export const orderFailed = (failureCode: string): MetricPoint => ({
  name: METRIC.ordersFailed,
  unit: 'Count',
  value: 1,
  dimensions: { [DIMENSION.failureCode]: failureCode },
  rollUp: true,
});
