import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The path Stripe delivers to, on the HTTP API's default stage. */
export const STRIPE_WEBHOOK_PATH = '/stripe/webhook';

/** Stripe sends a few events a second at most for a shop; more is someone else. */
export const WEBHOOK_RATE_LIMIT = 50;
export const WEBHOOK_BURST_LIMIT = 100;

export interface StripeWebhookApiProps {
  handler: lambda.IFunction;
  criticalAlerts: sns.ITopic;
}

/**
 * The HTTP API Stripe delivers events to: POST /stripe/webhook only (payload format 2.0, so the
 * function reads the raw body the signature covers), throttled, with alarms on 5xx answers and on
 * deliveries whose signature did not verify (metric emitted by the function).
 */
export class StripeWebhookApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly url: string;

  constructor(scope: Construct, id: string, props: StripeWebhookApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: "Stripe's webhook deliveries for the order saga",
      createDefaultStage: false,
    });
    this.api.addRoutes({
      path: STRIPE_WEBHOOK_PATH,
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('StripeWebhook', props.handler, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: WEBHOOK_RATE_LIMIT, burstLimit: WEBHOOK_BURST_LIMIT },
    });
    const cfnStage = stage.node.defaultChild as apigw.CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    this.url = `${this.api.apiEndpoint}${STRIPE_WEBHOOK_PATH}`;

    const alert = new actions.SnsAction(props.criticalAlerts);
    const serverErrors = new cloudwatch.Alarm(this, 'ServerErrorsAlarm', {
      alarmDescription:
        'The Stripe webhook answered 5xx: events are not reaching orders (Stripe retries for 3 days).',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensionsMap: { ApiId: this.api.apiId, Stage: '$default' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const signatureFailures = new cloudwatch.Alarm(this, 'SignatureFailuresAlarm', {
      alarmDescription:
        'Stripe webhook deliveries failed signature checks: a wrong STRIPE_WEBHOOK_SECRET, or someone else posting.',
      metric: new cloudwatch.Metric({
        namespace: 'SagaSupply/StripeWebhook',
        metricName: 'SignatureFailures',
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [serverErrors, signatureFailures]) alarm.addAlarmAction(alert);
    new CfnOutput(this, 'StripeWebhookUrl', { value: this.url });
  }
}
