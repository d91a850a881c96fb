import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, resourcesOfType, stackJson } from './assembly';

interface AlarmProps {
  MetricName?: string;
  Namespace?: string;
  Threshold?: number;
  ComparisonOperator?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  AlarmActions?: unknown[];
}

describe('Alarms and dashboard', () => {
  const monitoring = stackJson('order-monitoring');
  const alarms = resourcesOfType(monitoring, 'AWS::CloudWatch::Alarm').map(
    ([id, props]) => [id, props as AlarmProps] as const,
  );
  const alarm = (idPrefix: string): AlarmProps => {
    const found = alarms.find(([id]) => id.startsWith(`OrderMonitoring${idPrefix}`));
    if (!found) throw new Error(`no alarm ${idPrefix}`);
    return found[1];
  };
  const notifiesCriticalAlerts = (props: AlarmProps): void => {
    expect(props.AlarmActions).toHaveLength(1);
    expect(JSON.stringify(props.AlarmActions)).toMatch(/CriticalAlerts/);
  };

  it('alarms when more than 10 orders wait in OrdersQueue', () => {
    const props = alarm('OrdersQueueBacklog');
    expect(props).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(JSON.stringify(props.Dimensions)).toMatch(/OrdersQueue(?!.*DeadLetter)/);
    notifiesCriticalAlerts(props);
  });

  it('alarms on any message in the dead-letter queue', () => {
    const props = alarm('OrdersDeadLetters');
    expect(props).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(JSON.stringify(props.Dimensions)).toMatch(/OrdersDeadLetterQueue/);
    notifiesCriticalAlerts(props);
  });

  it('alarms on any failed workflow execution', () => {
    const props = alarm('OrderWorkflowFailures');
    expect(props).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(JSON.stringify(props.Dimensions)).toMatch(/OrderWorkflow/);
    notifiesCriticalAlerts(props);
  });

  it.each(FUNCTION_NAMES)('alarms on any error of %s', (name) => {
    const props = alarm(`${name}Errors`);
    expect(props).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(JSON.stringify(props.Dimensions)).toContain(`${name}lambda`);
    notifiesCriticalAlerts(props);
  });

  it('has a dashboard with queue depth, executions, function errors and durations', () => {
    const [[, dashboard] = []] = resourcesOfType(monitoring, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.DashboardBody);
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'Errors',
      'Duration',
    ]) {
      expect(body).toContain(metric);
    }
  });
});
