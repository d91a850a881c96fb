import { describe, expect, it } from 'vitest';
import {
  FUNCTION_NAMES,
  functionNameIn,
  resourcesOfType,
  stackJson,
  type FunctionName,
} from './assembly';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
interface Grant {
  fn: FunctionName;
  actions: string[];
  resource: string;
  condition?: unknown;
}

/** Every allow statement attached to a function's role, in every stack that grants to one. */
const grants: Grant[] = [
  'data',
  'order-intake',
  'storage',
  'order-messaging',
  'order-workflow',
].flatMap((stack) =>
  resourcesOfType(stackJson(stack), 'AWS::IAM::Policy').flatMap(([, props]) => {
    const fn = functionNameIn(props.Roles);
    if (!fn) return [];
    const statements = (props.PolicyDocument as { Statement: Statement[] }).Statement;
    return statements
      .filter((s) => s.Effect === 'Allow')
      .map((s) => ({
        fn,
        actions: [s.Action].flat(),
        resource: JSON.stringify(s.Resource),
        condition: s.Condition,
      }));
  }),
);

const who = (action: RegExp, resource: RegExp): FunctionName[] =>
  [
    ...new Set(
      grants
        .filter((g) => g.actions.some((a) => action.test(a)) && resource.test(g.resource))
        .map((g) => g.fn),
    ),
  ].sort();

const DYNAMODB_WRITE = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|\*)$/;

describe('Least privilege of the backend functions', () => {
  it('found the grants of all 18 functions', () => {
    expect(new Set(grants.map((g) => g.fn)).size).toBe(FUNCTION_NAMES.length);
  });

  it('grants no function a wildcard action', () => {
    const wildcards = grants.filter((g) => g.actions.some((a) => a === '*' || a.endsWith(':*')));
    expect(wildcards).toEqual([]);
  });

  it('lets only reserveInventory, releaseInventory and completeOrder write the Product table', () => {
    expect(who(DYNAMODB_WRITE, /ProductTable/)).toEqual([
      'completeOrder',
      'releaseInventory',
      'reserveInventory',
    ]);
  });

  it('lets only validation and stock steps read the Product table directly', () => {
    expect(who(/^dynamodb:/, /ProductTable/)).toEqual([
      'completeOrder',
      'releaseInventory',
      'reserveInventory',
      'validateOrder',
    ]);
  });

  it('lets no function write the Order table directly (orders change through AppSync)', () => {
    expect(who(DYNAMODB_WRITE, /OrderTable/)).toEqual([]);
  });

  it('lets only generateReceipt write receipts, and only receiptUrl and generateReceipt read them', () => {
    expect(who(/^s3:(PutObject|DeleteObject|\*)/, /receiptsBucket/)).toEqual(['generateReceipt']);
    expect(who(/^s3:GetObject/, /receiptsBucket/)).toEqual(['receiptUrl']);
  });

  it('lets only placeOrder send to OrdersQueue, and only startOrderWorkflow consume it', () => {
    expect(who(/^sqs:SendMessage$/, /OrdersQueue/)).toEqual(['placeOrder']);
    expect(who(/^sqs:(ReceiveMessage|DeleteMessage)$/, /OrdersQueue/)).toEqual([
      'startOrderWorkflow',
    ]);
  });

  it("lets only placeOrder read a user of the pool (the shopper's verified email), and nothing more", () => {
    expect(who(/^cognito-idp:/, /./)).toEqual(['placeOrder']);
    expect(who(/^cognito-idp:(?!AdminGetUser$)/, /./)).toEqual([]);
  });

  it('lets only startOrderWorkflow start order workflows', () => {
    expect(who(/^states:StartExecution$/, /./)).toEqual(['startOrderWorkflow']);
    expect(who(/^states:/, /./)).toEqual(['startOrderWorkflow', 'stripeWebhook']);
    const webhook = grants.filter(
      (g) => g.fn === 'stripeWebhook' && g.actions.some((a) => a.startsWith('states:')),
    );
    expect(webhook.flatMap((g) => g.actions).sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskSuccess',
    ]);
  });

  it('lets only the notifying steps publish, each to its own topic', () => {
    expect(who(/^sns:Publish$/, /OrderEvents/)).toEqual([
      'completeOrder',
      'createShipment',
      'notifyCustomer',
    ]);
    expect(who(/^sns:Publish$/, /OrderErrors/)).toEqual(['failOrder', 'stripeWebhook']);
    expect(who(/^sns:Publish$/, /CriticalAlerts/)).toEqual([]);
  });

  it('lets only the emailing steps send email, and only from the shop address', () => {
    const senders = grants.filter((g) => g.actions.includes('ses:SendEmail'));
    expect([...new Set(senders.map((g) => g.fn))].sort()).toEqual([
      'createShipment',
      'failOrder',
      'notifyCustomer',
      'stripeWebhook',
    ]);
    for (const grant of senders) {
      expect(grant.condition).toMatchObject({
        StringEquals: { 'ses:FromAddress': expect.stringContaining('@') },
      });
    }
  });

  it('lets only the payment steps, the bank wait, the webhook and paymentAction read the Stripe secret', () => {
    expect(who(/^ssm:GetParameters$/, /STRIPE_SECRET_KEY/)).toEqual([
      'authorizePayment',
      'capturePayment',
      'paymentAction',
      'stripeWebhook',
      'voidPayment',
      'waitForBank',
    ]);
  });

  it("lets only the webhook read the webhook's signing secret", () => {
    expect(who(/^ssm:GetParameters$/, /STRIPE_WEBHOOK_SECRET/)).toEqual(['stripeWebhook']);
  });

  it('lets only the bank wait and the webhook reach the BankWaits table', () => {
    expect(who(/^dynamodb:/, /BankWaits/)).toEqual(['stripeWebhook', 'waitForBank']);
  });

  it("lets only revalidateStorefront read the storefront's revalidate secret", () => {
    expect(who(/^ssm:GetParameters$/, /STOREFRONT_REVALIDATE_SECRET/)).toEqual([
      'revalidateStorefront',
    ]);
  });

  it('grants revalidateStorefront nothing beyond its traces and its secret', () => {
    const actions = grants.filter((g) => g.fn === 'revalidateStorefront').flatMap((g) => g.actions);
    expect([...new Set(actions)].sort()).toEqual([
      'ssm:GetParameters',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });
});
