import { defineBackend, secret } from '@aws-amplify/backend';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { auth } from './auth/resource';
import { requireTlsOnEveryBucket } from './custom/hardening';
import { applyNagChecks } from './custom/nag';
import {
  OrderMessaging,
  OrderMonitoring,
  OrderWorkflow,
  hardenReceiptsBucket,
} from './custom/order-workflow';
import { readDeploySettings } from './custom/settings';
import { data } from './data/resource';
import { authorizePayment } from './functions/authorize-payment/resource';
import { capturePayment } from './functions/capture-payment/resource';
import { completeOrder } from './functions/complete-order/resource';
import { createShipment } from './functions/create-shipment/resource';
import { failOrder } from './functions/fail-order/resource';
import { generateReceipt } from './functions/generate-receipt/resource';
import { notifyCustomer } from './functions/notify-customer/resource';
import { placeOrder } from './functions/place-order/resource';
import { receiptUrl } from './functions/receipt-url/resource';
import { releaseInventory } from './functions/release-inventory/resource';
import { reserveInventory } from './functions/reserve-inventory/resource';
import { startOrderWorkflow } from './functions/start-order-workflow/resource';
import { validateOrder } from './functions/validate-order/resource';
import { voidPayment } from './functions/void-payment/resource';
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
  validateOrder,
  authorizePayment,
  reserveInventory,
  capturePayment,
  generateReceipt,
  notifyCustomer,
  createShipment,
  completeOrder,
  releaseInventory,
  voidPayment,
  failOrder,
  receiptUrl,
});

const settings = readDeploySettings();
const fn = {
  placeOrder: backend.placeOrder,
  startOrderWorkflow: backend.startOrderWorkflow,
  validateOrder: backend.validateOrder,
  authorizePayment: backend.authorizePayment,
  reserveInventory: backend.reserveInventory,
  capturePayment: backend.capturePayment,
  generateReceipt: backend.generateReceipt,
  notifyCustomer: backend.notifyCustomer,
  createShipment: backend.createShipment,
  completeOrder: backend.completeOrder,
  releaseInventory: backend.releaseInventory,
  voidPayment: backend.voidPayment,
  failOrder: backend.failOrder,
  receiptUrl: backend.receiptUrl,
};
const lambdaOf = (name: keyof typeof fn): lambda.IFunction => fn[name].resources.lambda;

// Every function: active X-Ray tracing (its 30-day log group comes from defineFunction's logging).
for (const f of Object.values(fn)) {
  f.resources.cfnResources.cfnFunction.tracingConfig = { mode: 'Active' };
  f.resources.lambda.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    }),
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
fn.placeOrder.addEnvironment('ORDERS_QUEUE_URL', messaging.ordersQueue.queueUrl);
messaging.ordersQueue.grantSendMessages(lambdaOf('placeOrder'));
// Order emails go to the shopper's verified address, read from the user pool by the caller's
// username: the access token the storefront sends carries no email.
fn.placeOrder.addEnvironment('USER_POOL_ID', backend.auth.resources.userPool.userPoolId);
backend.auth.resources.userPool.grant(lambdaOf('placeOrder'), 'cognito-idp:AdminGetUser');

// Stock lives on the Product table and is taken and given back with conditional writes; no
// function writes the Order table directly (orders change through AppSync so subscribers hear).
const { Product: productTable, Order: orderTable } = backend.data.resources.tables;
if (!productTable || !orderTable) throw new Error('The data schema must define Product and Order.');
const productAccess: Partial<Record<keyof typeof fn, string[]>> = {
  validateOrder: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  reserveInventory: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  releaseInventory: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  completeOrder: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
};
for (const [name, actions] of Object.entries(productAccess) as [keyof typeof fn, string[]][]) {
  fn[name].addEnvironment('PRODUCT_TABLE_NAME', productTable.tableName);
  productTable.grant(lambdaOf(name), ...actions);
}
for (const name of ['validateOrder', 'reserveInventory', 'releaseInventory'] as const) {
  fn[name].addEnvironment('ORDER_TABLE_NAME', orderTable.tableName);
  orderTable.grant(lambdaOf(name), 'dynamodb:GetItem');
}

// Stripe: the secret key is an Amplify secret (SSM), resolved by the function at cold start.
for (const name of ['authorizePayment', 'capturePayment', 'voidPayment'] as const) {
  fn[name].addEnvironment('STRIPE_SECRET_KEY', secret('STRIPE_SECRET_KEY'));
}

// Email to the shopper through SES, only from the shop's address.
const region = Stack.of(backend.data.stack).region;
const account = Stack.of(backend.data.stack).account;
for (const name of ['notifyCustomer', 'createShipment', 'failOrder'] as const) {
  fn[name].addEnvironment('SHOP_FROM_EMAIL', settings.shopFromEmail);
  fn[name].addEnvironment('STOREFRONT_URL', settings.storefrontUrl);
  lambdaOf(name).addToRolePolicy(
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
for (const name of ['notifyCustomer', 'createShipment', 'completeOrder'] as const) {
  fn[name].addEnvironment('ORDER_EVENTS_TOPIC_ARN', messaging.orderEvents.topicArn);
  messaging.orderEvents.grantPublish(lambdaOf(name));
}
fn.failOrder.addEnvironment('ORDER_ERRORS_TOPIC_ARN', messaging.orderErrors.topicArn);
messaging.orderErrors.grantPublish(lambdaOf('failOrder'));

// Receipts: Amplify storage grants generateReceipt write and receiptUrl read on receipts/*.
hardenReceiptsBucket(backend.storage.resources.cfnResources.cfnBucket);

// The saga: depends on the data stack's step functions.
const workflow = new OrderWorkflow(backend.createStack('order-workflow'), 'OrderWorkflow', {
  validateOrder: lambdaOf('validateOrder'),
  authorizePayment: lambdaOf('authorizePayment'),
  reserveInventory: lambdaOf('reserveInventory'),
  capturePayment: lambdaOf('capturePayment'),
  generateReceipt: lambdaOf('generateReceipt'),
  notifyCustomer: lambdaOf('notifyCustomer'),
  createShipment: lambdaOf('createShipment'),
  completeOrder: lambdaOf('completeOrder'),
  releaseInventory: lambdaOf('releaseInventory'),
  voidPayment: lambdaOf('voidPayment'),
  failOrder: lambdaOf('failOrder'),
});

// Intake: OrdersQueue feeds startOrderWorkflow, which starts one execution per order.
fn.startOrderWorkflow.addEnvironment('ORDER_WORKFLOW_ARN', workflow.stateMachine.stateMachineArn);
workflow.stateMachine.grantStartExecution(lambdaOf('startOrderWorkflow'));
lambdaOf('startOrderWorkflow').addEventSource(
  new SqsEventSource(messaging.ordersQueue, {
    batchSize: 10,
    maxBatchingWindow: Duration.seconds(1),
    reportBatchItemFailures: true,
  }),
);

new OrderMonitoring(backend.createStack('order-monitoring'), 'OrderMonitoring', {
  ordersQueue: messaging.ordersQueue,
  ordersDeadLetterQueue: messaging.ordersDeadLetterQueue,
  stateMachine: workflow.stateMachine,
  functions: Object.fromEntries(
    Object.keys(fn).map((name) => [name, lambdaOf(name as keyof typeof fn)]),
  ),
  criticalAlerts: messaging.criticalAlerts,
});

requireTlsOnEveryBucket(backend.stack);

// cdk-nag AwsSolutions checks, opt-in (CDK_NAG=1): the infrastructure tests turn them on.
if (process.env.CDK_NAG) applyNagChecks(backend.stack);
