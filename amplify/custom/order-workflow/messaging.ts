import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OrderMessagingProps {
  /** Timeout of the queue's consumer (startOrderWorkflow); the visibility timeout is six times it. */
  consumerTimeout: Duration;
  /** Operator mailbox subscribed to CriticalAlerts. */
  alertEmail: string;
}

/** OrdersQueue with its dead-letter queue, and the OrderEvents, OrderErrors and CriticalAlerts topics. */
export class OrderMessaging extends Construct {
  readonly ordersQueue: sqs.Queue;
  readonly ordersDeadLetterQueue: sqs.Queue;
  readonly topicsKey: kms.Key;
  readonly orderEvents: sns.Topic;
  readonly orderErrors: sns.Topic;
  readonly criticalAlerts: sns.Topic;

  constructor(scope: Construct, id: string, props: OrderMessagingProps) {
    super(scope, id);

    this.ordersDeadLetterQueue = new sqs.Queue(this, 'OrdersDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.ordersQueue = new sqs.Queue(this, 'OrdersQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's SQS poller needs at least 6x the consumer timeout so a retried batch is not
      // delivered again while the first attempt still runs.
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.ordersDeadLetterQueue, maxReceiveCount: 3 },
    });

    // A customer managed key because CloudWatch alarms cannot publish to topics encrypted with
    // the AWS managed aws/sns key.
    this.topicsKey = new kms.Key(this, 'TopicsKey', {
      description: 'Encrypts the order topics (OrderEvents, OrderErrors, CriticalAlerts).',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.topicsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    const topic = (name: string, displayName: string): sns.Topic =>
      new sns.Topic(this, name, {
        displayName,
        masterKey: this.topicsKey,
        enforceSSL: true,
      });
    this.orderEvents = topic('OrderEvents', 'Order events');
    this.orderErrors = topic('OrderErrors', 'Order errors');
    this.criticalAlerts = topic('CriticalAlerts', 'Critical alerts');
    this.criticalAlerts.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
  }
}
