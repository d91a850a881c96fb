import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sfn } from '../shared/aws';
import { dynamoBankWaits } from '../shared/bank-waits';
import { readEnv, shopEnv } from '../shared/env';
import { publishEvent, sendEmail } from '../shared/notify';
import { appSyncOrders } from '../shared/orders';
import { stripe } from '../shared/stripe';
import { stripeWebhookWith, type WebhookDeps } from './webhook';
import { observed } from '../shared/observability';

let deps: WebhookDeps | undefined;

/** The real dependencies, made at the first delivery (so a missing setting fails with its name). */
const liveDeps = (): WebhookDeps => {
  if (deps) return deps;
  const { STRIPE_WEBHOOK_SECRET, ORDER_ERRORS_TOPIC_ARN } = readEnv([
    'STRIPE_WEBHOOK_SECRET',
    'ORDER_ERRORS_TOPIC_ARN',
  ]);
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = shopEnv();
  const client = stripe();
  deps = {
    signingSecret: STRIPE_WEBHOOK_SECRET,
    verify: (payload, header, secret) => client.webhooks.constructEvent(payload, header, secret),
    payments: client,
    waits: dynamoBankWaits(),
    orders: appSyncOrders,
    resume: async (taskToken, outcome) => {
      if (outcome.ok)
        await sfn.send(
          new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(outcome.output) }),
        );
      else
        await sfn.send(
          new SendTaskFailureCommand({ taskToken, error: outcome.error, cause: outcome.cause }),
        );
    },
    alert: (event) => publishEvent({ topicArn: ORDER_ERRORS_TOPIC_ARN, ...event }),
    mail: (message) => sendEmail(SHOP_FROM_EMAIL, message),
    storefrontUrl: STOREFRONT_URL,
    now: () => new Date(),
    metric: (name) => {
      // CloudWatch embedded metric format: the signature-failure alarm reads this metric.
      console.log(
        JSON.stringify({
          _aws: {
            Timestamp: Date.now(),
            CloudWatchMetrics: [
              {
                Namespace: 'SagaSupply/StripeWebhook',
                Dimensions: [[]],
                Metrics: [{ Name: name, Unit: 'Count' }],
              },
            ],
          },
          [name]: 1,
        }),
      );
    },
  };
  return deps;
};

/** HTTP API (payload 2.0) handler for POST /stripe/webhook. */
export const handler = observed((event: unknown) => stripeWebhookWith(liveDeps)(event));
