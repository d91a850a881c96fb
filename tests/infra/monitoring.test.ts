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

  describe('business metrics (Powertools EMF, namespace SagaSupply)', () => {
    const [[, dashboard] = []] = resourcesOfType(monitoring, 'AWS::CloudWatch::Dashboard');
    /** The dashboard's widgets as CloudWatch reads them, CloudFormation tokens as "TOKEN". */
    const widgets = (() => {
      const body = dashboard?.DashboardBody as { 'Fn::Join': [string, unknown[]] };
      const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN'));
      return (
        JSON.parse(text.join('')) as {
          widgets: { properties: { title: string; metrics: unknown[][] } }[];
        }
      ).widgets.map((w) => w.properties);
    })();
    const widgetTitled = (title: string) => {
      const found = widgets.find((w) => w.title.startsWith(title));
      if (!found) throw new Error(`no widget titled ${title}`);
      return found;
    };
    const shown = (title: string) => widgetTitled(title).metrics;

    it('charts orders per minute: placed, completed and failed, summed each minute', () => {
      expect(shown('Orders per minute')).toEqual(
        ['OrdersPlaced', 'OrdersCompleted', 'OrdersFailed'].map((metric) => [
          'SagaSupply',
          metric,
          'service',
          'saga-supply',
          expect.objectContaining({ period: 60, stat: 'Sum' }),
        ]),
      );
    });

    it('charts failed orders split by failure code, beside the failure rate', () => {
      const metrics = shown('Failed orders by reason');
      expect(metrics).toContainEqual([
        {
          expression: `SEARCH('{SagaSupply,FailureCode,service} MetricName="OrdersFailed"', 'Sum', 300)`,
        },
      ]);
      expect(metrics).toContainEqual([
        expect.objectContaining({ expression: expect.stringContaining('100 * FILL(failed, 0)') }),
      ]);
    });

    it.each([
      ['Revenue captured (cents)', 'AmountCaptured', 'Sum'],
      ['Saga duration, placed to completed (p95)', 'SagaDuration', 'p95'],
    ])('charts %s from %s (%s)', (title, metric, stat) => {
      expect(shown(title)).toEqual([
        ['SagaSupply', metric, 'service', 'saga-supply', expect.objectContaining({ stat })],
      ]);
    });

    it('charts each step p95 duration, split by step', () => {
      expect(shown('Step duration by step (p95)')).toEqual([
        [
          {
            expression: `SEARCH('{SagaSupply,Step,service} MetricName="StepDuration"', 'p95', 300)`,
          },
        ],
      ]);
    });

    it('still charts queue and dead-letter queue depth', () => {
      const metrics = shown('Orders waiting (OrdersQueue and dead letters)');
      expect(metrics.map((m) => m[1])).toEqual([
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesVisible',
      ]);
    });

    it('alarms when more than 10% of orders failed over 5 minutes (the default setting)', () => {
      const props = alarm('OrderFailureRate') as AlarmProps & {
        Metrics?: {
          Id: string;
          Expression?: string;
          ReturnData?: boolean;
          MetricStat?: { Metric: AlarmProps; Period: number; Stat: string };
        }[];
        EvaluationPeriods?: number;
      };
      expect(props).toMatchObject({
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
      const expression = props.Metrics?.find((m) => m.Expression);
      expect(expression?.Expression).toBe(
        'IF(FILL(failed, 0) > 0, 100 * FILL(failed, 0) / MAX([FILL(placed, 0), FILL(failed, 0)]), 0)',
      );
      const inputs = Object.fromEntries(
        (props.Metrics ?? []).filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]),
      );
      for (const [id, name] of [
        ['failed', 'OrdersFailed'],
        ['placed', 'OrdersPlaced'],
      ] as const) {
        expect(inputs[id]).toEqual({
          Metric: {
            Namespace: 'SagaSupply',
            MetricName: name,
            Dimensions: [{ Name: 'service', Value: 'saga-supply' }],
          },
          Period: 300,
          Stat: 'Sum',
        });
      }
      notifiesCriticalAlerts(props);
    });
  });
});
