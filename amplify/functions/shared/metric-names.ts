/*
 * The names the functions' metrics are emitted under (observability.ts) and the dashboard and
 * alarms read (custom/order-workflow/monitoring.ts): plain constants, so synthesis loads no
 * Powertools.
 */

/** The CloudWatch namespace and `service` dimension every metric carries (the dashboard reads them). */
export const METRICS_NAMESPACE = 'SagaSupply';
export const SERVICE_NAME = 'saga-supply';

/** The metrics this backend emits: the dashboard, the failure-rate alarm and the README name them. */
export const METRIC = {
  ordersPlaced: 'OrdersPlaced',
  ordersCompleted: 'OrdersCompleted',
  ordersFailed: 'OrdersFailed',
  amountCaptured: 'AmountCaptured',
  sagaDuration: 'SagaDuration',
  stepDuration: 'StepDuration',
} as const;

/** The dimension that splits OrdersFailed by the failure's code, and StepDuration by state. */
export const DIMENSION = { failureCode: 'FailureCode', step: 'Step' } as const;
