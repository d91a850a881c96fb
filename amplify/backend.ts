import { defineBackend, secret } from '@aws-amplify/backend';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { SnsEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { auth } from './auth/resource';
import { requireTlsOnEveryBucket } from './custom/hardening';
import { applyNagChecks } from './custom/nag';
import {
  OrderMessaging,
  OrderMonitoring,
  OrderWorkflow,
  hardenReceiptsBucket,
} from './custom/order-workflow';
import { BankWaitsTable, StripeWebhookApi } from './custom/payments';
import { readDeploySettings } from './custom/settings';
import { data } from './data/resource';
import { operations } from './functions/operations/resource';
import { placeOrder } from './functions/place-order/resource';
import { paymentAction } from './functions/payment-action/resource';
import { receiptUrl } from './functions/receipt-url/resource';
import { revalidateStorefront } from './functions/revalidate-storefront/resource';
import { SEED_PRODUCTS, catalogVersion } from './functions/seed-catalog/catalog';
import { seedCatalog } from './functions/seed-catalog/resource';
import { startOrderWorkflow } from './functions/start-order-workflow/resource';
import { stripeWebhook } from './functions/stripe-webhook/resource';
import { SAGA_FUNCTIONS } from './saga/functions';
import { COMPENSATIONS, FAILURE_STEP, FORWARD_STEPS, SAGA_LAMBDAS, WAITS } from './saga/registry';
import { functionNameOf, type SagaLambda, type Wait } from './saga/step';
import { storage } from './storage/resource';

/**
 * The storefront's backend. Stacks (nested in the Amplify root stack), ordered so that no two
 * depend on each other: order-messaging (queues, topics) <- data (API, tables, the functions
 * AppSync and the workflow call) <- order-workflow (state machine) <- order-intake
 * (startOrderWorkflow, fed by OrdersQueue) <- order-monitoring (alarms, dashboard).
 */
const backend = defineBackend({
  auth,
  data,
  storage,
  placeOrder,
  startOrderWorkflow,
  receiptUrl,
  revalidateStorefront,
  seedCatalog,
  operations,
  stripeWebhook,
  paymentAction,
  ...SAGA_FUNCTIONS,
});

const settings = readDeploySettings();
type BackendFunction = typeof backend.placeOrder;
// The saga's functions are keyed by the step registry at run time, so the compiler cannot name them.
const functions = backend as unknown as Record<string, BackendFunction | undefined>;
const FUNCTION_NAMES = [
  'placeOrder',
  'startOrderWorkflow',
  ...SAGA_LAMBDAS.map(functionNameOf),
  'receiptUrl',
  'revalidateStorefront',
  'seedCatalog',
  'operations',
  'stripeWebhook',
  'paymentAction',
];
const functionOf = (name: string): BackendFunction => {
  const found = functions[name];
  if (!found) throw new Error(`no backend function ${name}`);
  return found;
};
const lambdaOf = (name: string): lambda.IFunction => functionOf(name).resources.lambda;

// Every function: active X-Ray tracing (its 30-day log group comes from defineFunction's logging).
for (const f of FUNCTION_NAMES.map(functionOf)) {
  f.resources.cfnResources.cfnFunction.tracingConfig = { mode: 'Active' };
  f.resources.lambda.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    }),
  );
}

// Powertools in every function (amplify/functions/shared/observability.ts): the log level is the
// LOG_LEVEL deploy setting, for Powertools and for Lambda's own log filter alike.
for (const f of FUNCTION_NAMES.map(functionOf)) {
  f.addEnvironment('POWERTOOLS_LOG_LEVEL', settings.logLevel);
  f.resources.cfnResources.cfnFunction.addPropertyOverride(
    'LoggingConfig.ApplicationLogLevel',
    settings.logLevel,
  );
}

// Messaging: depends on nothing, so every other stack may reference it.
const messaging = new OrderMessaging(backend.createStack('order-messaging'), 'OrderMessaging', {
  consumerTimeout: Duration.seconds(
    backend.startOrderWorkflow.resources.cfnResources.cfnFunction.timeout ?? 30,
  ),
  alertEmail: settings.alertEmail,
});

// placeOrder stores the order (through AppSync) and queues it.
backend.placeOrder.addEnvironment('ORDERS_QUEUE_URL', messaging.ordersQueue.queueUrl);
messaging.ordersQueue.grantSendMessages(lambdaOf('placeOrder'));
// Order emails go to the shopper's verified address, read from the user pool by the caller's
// username: the access token the storefront sends carries no email.
backend.placeOrder.addEnvironment('USER_POOL_ID', backend.auth.resources.userPool.userPoolId);
backend.auth.resources.userPool.grant(lambdaOf('placeOrder'), 'cognito-idp:AdminGetUser');

// What each saga Lambda needs, as its step declares it (amplify/saga/steps/): environment and
// least-privilege grants. Stock lives on the Product table and is taken and given back with
// conditional writes; no function writes the Order table directly (orders change through AppSync
// so subscribers hear).
const { Product: productTable, Order: orderTable } = backend.data.resources.tables;
if (!productTable || !orderTable) throw new Error('The data schema must define Product and Order.');
// 3-D Secure: the executions waiting on the shopper's bank, by PaymentIntent id (and the Stripe
// events the webhook has handled). Its own stack, so the data stack's functions may use it.
const bankWaits = new BankWaitsTable(backend.createStack('payment-waits'), 'BankWaits').table;
const region = Stack.of(backend.data.stack).region;
const account = Stack.of(backend.data.stack).account;
const PRODUCT_ACCESS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  stock: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
};
for (const step of SAGA_LAMBDAS) {
  const { needs } = step;
  const f = functionOf(functionNameOf(step));
  const role = f.resources.lambda;
  if (needs.productTable) {
    f.addEnvironment('PRODUCT_TABLE_NAME', productTable.tableName);
    productTable.grant(role, ...PRODUCT_ACCESS[needs.productTable]);
  }
  if (needs.orderTable) {
    f.addEnvironment('ORDER_TABLE_NAME', orderTable.tableName);
    orderTable.grant(role, 'dynamodb:GetItem');
  }
  // Stripe: the secret key is an Amplify secret (SSM), resolved by the function at cold start.
  if (needs.stripe) f.addEnvironment('STRIPE_SECRET_KEY', secret('STRIPE_SECRET_KEY'));
  // Email to the shopper through SES, only from the shop's address.
  if (needs.email) {
    f.addEnvironment('SHOP_FROM_EMAIL', settings.shopFromEmail);
    f.addEnvironment('STOREFRONT_URL', settings.storefrontUrl);
    role.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        // SES authorizes against every identity involved (sender and, in the SES sandbox, the
        // recipients), so the resource is any identity and the condition pins the sender.
        resources: [`arn:aws:ses:${region}:${account}:identity/*`],
        conditions: { StringEquals: { 'ses:FromAddress': settings.shopFromEmail } },
      }),
    );
  }
  // Operator topics.
  if (needs.orderEvents) {
    f.addEnvironment('ORDER_EVENTS_TOPIC_ARN', messaging.orderEvents.topicArn);
    messaging.orderEvents.grantPublish(role);
  }
  if (needs.orderErrors) {
    f.addEnvironment('ORDER_ERRORS_TOPIC_ARN', messaging.orderErrors.topicArn);
    messaging.orderErrors.grantPublish(role);
  }
  if (needs.bankWaits) {
    f.addEnvironment('BANK_WAITS_TABLE_NAME', bankWaits.tableName);
    bankWaits.grant(role, 'dynamodb:PutItem', 'dynamodb:GetItem');
  }
  // needs.receipts: Amplify storage grants write on receipts/* (storage/resource.ts).
}

// Receipts: Amplify storage grants generateReceipt write and receiptUrl read on receipts/*.
hardenReceiptsBucket(backend.storage.resources.cfnResources.cfnBucket);

// The saga, as the step registry lists it: depends on the data stack's step functions.
const taskOf = (step: SagaLambda) => ({
  state: step.state,
  lambda: lambdaOf(functionNameOf(step)),
});
const workflow = new OrderWorkflow(backend.createStack('order-workflow'), 'OrderWorkflow', {
  forward: FORWARD_STEPS.map(taskOf),
  compensations: COMPENSATIONS.map(taskOf),
  failure: taskOf(FAILURE_STEP),
  waits: WAITS.map((wait: Wait) => ({
    ...taskOf(wait),
    after: wait.after,
    asks: wait.asks,
    timeoutError: wait.timeoutError,
    waitSeconds: settings.bankConfirmationSeconds,
  })),
});

// Intake: OrdersQueue feeds startOrderWorkflow, which starts one execution per order.
backend.startOrderWorkflow.addEnvironment(
  'ORDER_WORKFLOW_ARN',
  workflow.stateMachine.stateMachineArn,
);
workflow.stateMachine.grantStartExecution(lambdaOf('startOrderWorkflow'));
lambdaOf('startOrderWorkflow').addEventSource(
  new SqsEventSource(messaging.ordersQueue, {
    batchSize: 10,
    maxBatchingWindow: Duration.seconds(1),
    reportBatchItemFailures: true,
  }),
);

// The storefront's webhook: the order events that moved stock reach revalidateStorefront, which
// POSTs the products' ids to ${STOREFRONT_URL}/api/revalidate with the shared secret (an Amplify
// secret, as Stripe's key). It needs no AWS access beyond its logs and traces.
backend.revalidateStorefront.addEnvironment('STOREFRONT_URL', settings.storefrontUrl);
backend.revalidateStorefront.addEnvironment(
  'STOREFRONT_REVALIDATE_SECRET',
  secret('STOREFRONT_REVALIDATE_SECRET'),
);
const STOCK_EVENTS = ['OrderCompleted', 'OrderFailed'];
for (const topic of [messaging.orderEvents, messaging.orderErrors]) {
  lambdaOf('revalidateStorefront').addEventSource(
    new SnsEventSource(topic, {
      filterPolicy: {
        eventType: sns.SubscriptionFilter.stringFilter({ allowlist: STOCK_EVENTS }),
      },
    }),
  );
}

// A fresh deployment's catalog: the SeedCatalog custom resource runs seedCatalog when it is
// created and again only when the catalog's content (its version) changes; the function never
// overwrites a product an admin changed (amplify/functions/seed-catalog/seed.ts).
backend.seedCatalog.addEnvironment('PRODUCT_TABLE_NAME', productTable.tableName);
productTable.grant(lambdaOf('seedCatalog'), 'dynamodb:PutItem', 'dynamodb:UpdateItem');
new CustomResource(backend.createStack('catalog-seed'), 'SeedCatalog', {
  serviceToken: lambdaOf('seedCatalog').functionArn,
  resourceType: 'Custom::CatalogSeed',
  // productIds reach the next Update as OldResourceProperties: a product they name that is gone
  // by then was deleted by the shop, and the seed leaves it deleted.
  properties: { catalogVersion: catalogVersion(), productIds: SEED_PRODUCTS.map((p) => p.id) },
});
// The operations page (ADMINS only, amplify/functions/operations): reads orders by status, the
// queues and the executions, and redrives the DLQ, on exactly these resources. The function sits in
// the data stack, which the workflow stack depends on, so it cannot reference the state machine:
// the machine gets a fixed name (unique per Amplify backend) and the function builds its ARN.
const backendIdentity = ['amplify-backend-namespace', 'amplify-backend-name']
  .map((key) => String(backend.stack.node.tryGetContext(key) ?? ''))
  .join('-');
const orderWorkflowName = `${backendIdentity}-OrderWorkflow`
  .replace(/[^A-Za-z0-9_-]/g, '-')
  .slice(-80);
(workflow.stateMachine.node.defaultChild as sfn.CfnStateMachine).stateMachineName =
  orderWorkflowName;
const orderWorkflowArn = `arn:aws:states:${region}:${account}:stateMachine:${orderWorkflowName}`;
const operationsRole = lambdaOf('operations');
backend.operations.addEnvironment('ORDER_TABLE_NAME', orderTable.tableName);
backend.operations.addEnvironment('ORDERS_QUEUE_URL', messaging.ordersQueue.queueUrl);
backend.operations.addEnvironment('ORDERS_DLQ_URL', messaging.ordersDeadLetterQueue.queueUrl);
backend.operations.addEnvironment('ORDERS_DLQ_ARN', messaging.ordersDeadLetterQueue.queueArn);
backend.operations.addEnvironment('ORDER_WORKFLOW_ARN', orderWorkflowArn);
orderTable.grant(operationsRole, 'dynamodb:GetItem');
operationsRole.addToRolePolicy(
  new iam.PolicyStatement({
    actions: ['dynamodb:Query'],
    resources: [`${orderTable.tableArn}/index/ordersByStatusAndCreatedAt`],
  }),
);
messaging.ordersQueue.grant(operationsRole, 'sqs:GetQueueAttributes');
// A redrive (StartMessageMoveTask) needs these on the DLQ and SendMessage on where messages go back.
messaging.ordersDeadLetterQueue.grant(
  operationsRole,
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:StartMessageMoveTask',
  'sqs:ListMessageMoveTasks',
);
messaging.ordersQueue.grantSendMessages(operationsRole);
operationsRole.addToRolePolicy(
  new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [orderWorkflowArn] }),
);
operationsRole.addToRolePolicy(
  new iam.PolicyStatement({
    actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
    resources: [`${orderWorkflowArn.replace(':stateMachine:', ':execution:')}:*`],
  }),
);
// The order story's log lines: FilterLogEvents on the log groups of the functions whose lines carry
// an order id (placeOrder, the queue consumer, every saga step; the webhook's and the others' do
// not), named to the function in ORDER_LOG_GROUPS (`name=group,...`). Each group is the one
// Amplify made for its function (defineFunction's logging), not /aws/lambda/<name>.
// startOrderWorkflow's lives in the order-intake stack, which depends on this one: its group gets
// a fixed name (unique per Amplify backend) so that the operations function can name it.
const logGroupOf = (name: string): logs.ILogGroup => (lambdaOf(name) as lambda.Function).logGroup;
const intakeLogGroupName = `/aws/lambda/${backendIdentity}-startOrderWorkflow`;
(logGroupOf('startOrderWorkflow').node.defaultChild as logs.CfnLogGroup).logGroupName =
  intakeLogGroupName;
const orderLogGroups = [
  'placeOrder',
  'startOrderWorkflow',
  ...SAGA_LAMBDAS.map(functionNameOf),
].map((name) => ({
  name,
  group: name === 'startOrderWorkflow' ? intakeLogGroupName : logGroupOf(name).logGroupName,
}));
backend.operations.addEnvironment(
  'ORDER_LOG_GROUPS',
  orderLogGroups.map(({ name, group }) => `${name}=${group}`).join(','),
);
operationsRole.addToRolePolicy(
  new iam.PolicyStatement({
    actions: ['logs:FilterLogEvents'],
    resources: orderLogGroups.map(
      ({ group }) => `arn:aws:logs:${region}:${account}:log-group:${group}:*`,
    ),
  }),
);
// Stripe's webhook: signed deliveries over an HTTP API resume executions waiting on the shopper's
// bank and keep orders true afterwards. The task-response grant is made in the workflow's stack
// (the function's stack cannot name the state machine, which depends on it) and names only it.
const webhook = backend.stripeWebhook;
webhook.addEnvironment('STRIPE_SECRET_KEY', secret('STRIPE_SECRET_KEY'));
// The order page's "confirm with your bank" reads the intent's client secret through it.
backend.paymentAction.addEnvironment('STRIPE_SECRET_KEY', secret('STRIPE_SECRET_KEY'));
webhook.addEnvironment('STRIPE_WEBHOOK_SECRET', secret('STRIPE_WEBHOOK_SECRET'));
webhook.addEnvironment('BANK_WAITS_TABLE_NAME', bankWaits.tableName);
webhook.addEnvironment('ORDER_ERRORS_TOPIC_ARN', messaging.orderErrors.topicArn);
webhook.addEnvironment('SHOP_FROM_EMAIL', settings.shopFromEmail);
webhook.addEnvironment('STOREFRONT_URL', settings.storefrontUrl);
bankWaits.grant(
  lambdaOf('stripeWebhook'),
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
);
messaging.orderErrors.grantPublish(lambdaOf('stripeWebhook'));
lambdaOf('stripeWebhook').addToRolePolicy(
  new iam.PolicyStatement({
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resources: [`arn:aws:ses:${region}:${account}:identity/*`],
    conditions: { StringEquals: { 'ses:FromAddress': settings.shopFromEmail } },
  }),
);
const webhookRole = lambdaOf('stripeWebhook').role;
if (!webhookRole) throw new Error('stripeWebhook has no execution role');
new iam.Policy(workflow, 'StripeWebhookTaskResponse', {
  roles: [webhookRole],
  statements: [
    new iam.PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resources: [workflow.stateMachine.stateMachineArn],
    }),
  ],
});
const webhookApi = new StripeWebhookApi(
  backend.createStack('payment-webhook'),
  'StripeWebhookApi',
  {
    handler: lambdaOf('stripeWebhook'),
    criticalAlerts: messaging.criticalAlerts,
  },
);
backend.addOutput({ custom: { stripeWebhookUrl: webhookApi.url } });

new OrderMonitoring(backend.createStack('order-monitoring'), 'OrderMonitoring', {
  ordersQueue: messaging.ordersQueue,
  ordersDeadLetterQueue: messaging.ordersDeadLetterQueue,
  stateMachine: workflow.stateMachine,
  functions: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, lambdaOf(name)])),
  criticalAlerts: messaging.criticalAlerts,
  failureRateAlarmPercent: settings.failureRateAlarmPercent,
});

requireTlsOnEveryBucket(backend.stack);

// cdk-nag AwsSolutions checks, opt-in (CDK_NAG=1): the infrastructure tests turn them on.
if (process.env.CDK_NAG) applyNagChecks(backend.stack);
