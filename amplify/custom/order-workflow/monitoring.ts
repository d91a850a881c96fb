import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from '../../functions/shared/metric-names';

export interface OrderMonitoringProps {
  ordersQueue: sqs.IQueue;
  ordersDeadLetterQueue: sqs.IQueue;
  stateMachine: sfn.IStateMachine;
  /** Every backend function, keyed by its Amplify name. */
  functions: Record<string, lambda.IFunction>;
  criticalAlerts: sns.ITopic;
  /** The failure-rate alarm's threshold, percent of orders failed over 5 minutes (deploy setting); 10 when not given. */
  failureRateAlarmPercent?: number;
}

/** A business metric the functions emit through Powertools (EMF), in its `service` dimension set. */
const businessMetric = (
  metricName: string,
  statistic: string,
  period: Duration,
  label: string,
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
    label,
  });

/** Every series of a metric split by one dimension (a failure code, a step), found by SEARCH. */
const splitBy = (metricName: string, dimension: string, statistic: string, period: Duration) =>
  new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},service} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    label: '',
    period,
  });

/** Alarms that page CriticalAlerts (queue backlog, dead letters, failed orders, function errors) and the operations dashboard. */
export class OrderMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OrderMonitoringProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const alert = new actions.SnsAction(props.criticalAlerts);
    const alarm = (
      name: string,
      description: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      comparisonOperator: cloudwatch.ComparisonOperator,
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(alert);
      this.alarms.push(created);
      return created;
    };

    const queueDepth = props.ordersQueue.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    const deadLetters = props.ordersDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    alarm(
      'OrdersQueueBacklog',
      'More than 10 orders are waiting in OrdersQueue: the workflow is not keeping up.',
      queueDepth,
      10,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    );
    alarm(
      'OrdersDeadLetters',
      'An order reached the OrdersQueue dead-letter queue: it never started its workflow.',
      deadLetters,
      1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );

    const started = props.stateMachine.metricStarted({ period, statistic: cloudwatch.Stats.SUM });
    const succeeded = props.stateMachine.metricSucceeded({
      period,
      statistic: cloudwatch.Stats.SUM,
    });
    const failed = props.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM });
    alarm(
      'OrderWorkflowFailures',
      'An order workflow execution failed (timed out or a compensation could not finish).',
      failed,
      1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );

    const entries = Object.entries(props.functions);
    for (const [name, fn] of entries) {
      alarm(
        `${name}Errors`,
        `The ${name} function reported errors.`,
        fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        1,
        cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      );
    }

    // Business metrics (Powertools EMF from the functions, amplify/functions/shared/observability.ts).
    const minute = Duration.minutes(1);
    const placedPerMinute = businessMetric(METRIC.ordersPlaced, 'Sum', minute, 'placed');
    const completedPerMinute = businessMetric(METRIC.ordersCompleted, 'Sum', minute, 'completed');
    const failedPerMinute = businessMetric(METRIC.ordersFailed, 'Sum', minute, 'failed');
    const placed = businessMetric(METRIC.ordersPlaced, 'Sum', period, 'placed');
    const failedOrders = businessMetric(METRIC.ordersFailed, 'Sum', period, 'failed');
    // Failures over 5 minutes against the orders placed (or failed, when orders placed earlier
    // fail now), so the rate stays within 0-100 and never divides by zero.
    const failureRate = new cloudwatch.MathExpression({
      expression:
        'IF(FILL(failed, 0) > 0, 100 * FILL(failed, 0) / MAX([FILL(placed, 0), FILL(failed, 0)]), 0)',
      usingMetrics: { placed, failed: failedOrders },
      label: 'failure rate (%)',
      period,
    });
    const failureRatePercent = props.failureRateAlarmPercent ?? 10;
    alarm(
      'OrderFailureRate',
      `More than ${failureRatePercent}% of orders failed over 5 minutes (OrdersFailed against OrdersPlaced): see the failure reasons on the dashboard.`,
      failureRate,
      failureRatePercent,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Orders waiting (OrdersQueue and dead letters)',
            left: [queueDepth, deadLetters],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Order workflows started / succeeded / failed',
            left: [started, succeeded, failed],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors',
            left: entries.map(([name, fn]) =>
              fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM, label: name }),
            ),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Function duration (p95)',
            left: entries.map(([name, fn]) =>
              fn.metricDuration({ period, statistic: cloudwatch.Stats.p(95), label: name }),
            ),
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Orders per minute (placed / completed / failed)',
            left: [placedPerMinute, completedPerMinute, failedPerMinute],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Failed orders by reason (failure code), and the failure rate',
            left: [splitBy(METRIC.ordersFailed, DIMENSION.failureCode, 'Sum', period)],
            right: [failureRate],
            rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Revenue captured (cents)',
            left: [businessMetric(METRIC.amountCaptured, 'Sum', period, 'captured')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Saga duration, placed to completed (p95)',
            left: [businessMetric(METRIC.sagaDuration, 'p95', period, 'p95')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Step duration by step (p95)',
            left: [splitBy(METRIC.stepDuration, DIMENSION.step, 'p95', period)],
            width: 8,
          }),
        ],
      ],
    });
    // Amplify tags every resource of the backend, but CloudFormation's schema for dashboards
    // (as cfn-lint knows it) has no Tags property.
    (this.dashboard.node.defaultChild as cloudwatch.CfnDashboard).addPropertyDeletionOverride(
      'Tags',
    );
  }
}
