import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resourcesOfType, stackJson, stackTemplate } from './assembly';

describe('OrdersQueue, its dead-letter queue and the event source', () => {
  const messaging = stackJson('order-messaging');
  const queues = resourcesOfType(messaging, 'AWS::SQS::Queue');
  const ordersQueue = queues.find(([id]) => id.includes('OrdersQueue'));
  const deadLetters = queues.find(([id]) => id.includes('OrdersDeadLetterQueue'));

  it('sends a message to the dead-letter queue after 3 receives', () => {
    expect(ordersQueue?.[1].RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters?.[0], 'Arn'] },
      maxReceiveCount: 3,
    });
  });

  it('encrypts both queues with SQS-managed keys and refuses plain HTTP', () => {
    for (const queue of [ordersQueue, deadLetters]) {
      expect(queue?.[1].SqsManagedSseEnabled).toBe(true);
    }
    const template = stackTemplate('order-messaging');
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('hides a message for at least 6x the consumer timeout', () => {
    const intake = stackJson('order-intake');
    const [[, consumer] = []] = resourcesOfType(intake, 'AWS::Lambda::Function');
    expect(Number(ordersQueue?.[1].VisibilityTimeout)).toBeGreaterThanOrEqual(
      6 * Number(consumer?.Timeout),
    );
  });

  it('feeds startOrderWorkflow with partial batch responses', () => {
    stackTemplate('order-intake').hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^startOrderWorkflowlambda') },
      EventSourceArn: { Ref: Match.stringLikeRegexp('OrdersQueue') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('Operator topics', () => {
  const template = stackTemplate('order-messaging');
  const topics = resourcesOfType(stackJson('order-messaging'), 'AWS::SNS::Topic');

  it('has OrderEvents, OrderErrors and CriticalAlerts, each encrypted', () => {
    expect(topics.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'OrderMessagingCriticalAlerts',
      'OrderMessagingOrderErrors',
      'OrderMessagingOrderEvents',
    ]);
    for (const [, props] of topics) expect(props.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets CloudWatch alarms use the topics key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('emails CriticalAlerts to the operator', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      TopicArn: { Ref: Match.stringLikeRegexp('^OrderMessagingCriticalAlerts') },
      Endpoint: Match.stringLikeRegexp('@'),
    });
  });

  it('refuses plain-HTTP publishing on every topic', () => {
    template.resourceCountIs('AWS::SNS::TopicPolicy', 3);
    template.allResourcesProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe("The storefront's webhook (revalidateStorefront)", () => {
  const data = stackTemplate('data');
  const subscriptions = resourcesOfType(stackJson('data'), 'AWS::SNS::Subscription').filter(
    ([id]) => id.startsWith('revalidateStorefront'),
  );

  it('hears OrderEvents and OrderErrors, only the events that moved stock', () => {
    expect(subscriptions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'revalidateStorefrontlambdaOrderErrors',
      'revalidateStorefrontlambdaOrderEvents',
    ]);
    for (const [, props] of subscriptions) {
      expect(props).toMatchObject({
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [expect.stringMatching(/^revalidateStorefrontlambda/), 'Arn'] },
        FilterPolicy: { eventType: ['OrderCompleted', 'OrderFailed'] },
      });
    }
  });

  it('may be invoked by SNS only from those two topics', () => {
    const permissions = resourcesOfType(stackJson('data'), 'AWS::Lambda::Permission').filter(
      ([, props]) => JSON.stringify(props.FunctionName).includes('revalidateStorefrontlambda'),
    );
    expect(permissions).toHaveLength(2);
    for (const [, props] of permissions) {
      expect(props.Principal).toBe('sns.amazonaws.com');
      expect(JSON.stringify(props.SourceArn)).toMatch(/OrderMessagingOrder(Events|Errors)/);
    }
    data.resourceCountIs('AWS::SNS::Subscription', subscriptions.length);
  });
});
