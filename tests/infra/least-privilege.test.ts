import { describe, expect, it } from 'vitest';
import {
  FUNCTION_NAMES,
  functionNameIn,
  resourcesOfType,
  stackJson,
  type FunctionName,
} from './assembly';
import { SAGA_LAMBDAS } from '../../amplify/saga/registry';
import { functionNameOf } from '../../amplify/saga/step';

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
  it('found the grants of every function', () => {
    expect(new Set(grants.map((g) => g.fn)).size).toBe(FUNCTION_NAMES.length);
  });

  it('grants no function a wildcard action', () => {
    const wildcards = grants.filter((g) => g.actions.some((a) => a === '*' || a.endsWith(':*')));
    expect(wildcards).toEqual([]);
  });

  it('lets only reserveInventory, releaseInventory, completeOrder and the catalog seed write the Product table', () => {
    expect(who(DYNAMODB_WRITE, /ProductTable/)).toEqual([
      'completeOrder',
      'releaseInventory',
      'reserveInventory',
      'seedCatalog',
    ]);
  });

  it('lets only validation and stock steps, and the catalog seed, reach the Product table directly', () => {
    expect(who(/^dynamodb:/, /ProductTable/)).toEqual([
      'completeOrder',
      'releaseInventory',
      'reserveInventory',
      'seedCatalog',
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

  it('lets only placeOrder (and the operations redrive) send to OrdersQueue, and only startOrderWorkflow consume it', () => {
    // StartMessageMoveTask needs SendMessage on where the messages go back to.
    expect(who(/^sqs:SendMessage$/, /OrdersQueue/)).toEqual(['operations', 'placeOrder']);
    expect(who(/^sqs:(ReceiveMessage|DeleteMessage)$/, /OrdersQueue/)).toEqual([
      'startOrderWorkflow',
    ]);
  });

  it("lets only placeOrder read a user of the pool (the shopper's verified email), and nothing more", () => {
    expect(who(/^cognito-idp:/, /./)).toEqual(['placeOrder']);
    expect(who(/^cognito-idp:(?!AdminGetUser$)/, /./)).toEqual([]);
  });

  it('lets only startOrderWorkflow start order workflows', () => {
    expect(who(/^states:(StartExecution|\*)$/, /./)).toEqual(['startOrderWorkflow']);
    expect(
      who(
        /^states:(?!StartExecution$|ListExecutions$|DescribeExecution$|GetExecutionHistory$|SendTaskSuccess$|SendTaskFailure$)/,
        /./,
      ),
    ).toEqual([]);
    expect(who(/^states:SendTask/, /./)).toEqual(['stripeWebhook']);
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

  it('grants the catalog seed only conditional puts and updates on the Product table, and its traces', () => {
    const seed = grants.filter((g) => g.fn === 'seedCatalog');
    expect([...new Set(seed.flatMap((g) => g.actions))].sort()).toEqual([
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    for (const grant of seed.filter((g) => g.actions.some((a) => a.startsWith('dynamodb:'))))
      expect(grant.resource).toMatch(/ProductTable/);
  });

  describe('the operations page (operations function)', () => {
    const of = (action: RegExp) =>
      grants.filter((g) => g.fn === 'operations' && g.actions.some((a) => action.test(a)));
    const readsOnly = (action: RegExp, resource: RegExp) => {
      const found = of(action);
      expect(found.length).toBeGreaterThan(0);
      for (const grant of found) expect(grant.resource).toMatch(resource);
    };

    it('reads the Order table by id and queries only its status index, writing nothing', () => {
      readsOnly(/^dynamodb:GetItem$/, /OrderTable/);
      readsOnly(/^dynamodb:Query$/, /OrderTable.*\/index\/ordersByStatusAndCreatedAt/);
      expect(
        of(
          /^dynamodb:(?!GetItem$|Query$|BatchGetItem$|ConditionCheckItem$|DescribeTable$|GetRecords$|GetShardIterator$|Scan$)/,
        ),
      ).toEqual([]);
      expect(of(/^dynamodb:Scan$/)).toEqual([]);
      expect(who(/^dynamodb:/, /ProductTable/)).not.toContain('operations');
    });

    it('starts, lists and reads message moves only on the dead-letter queue', () => {
      for (const action of [
        /^sqs:StartMessageMoveTask$/,
        /^sqs:ListMessageMoveTasks$/,
        /^sqs:ReceiveMessage$/,
        /^sqs:DeleteMessage$/,
      ])
        readsOnly(action, /OrdersDeadLetterQueue/);
      readsOnly(/^sqs:GetQueueAttributes$/, /OrdersQueue|OrdersDeadLetterQueue/);
    });

    it('lists executions of the order workflow and reads their histories, nothing else in Step Functions', () => {
      readsOnly(/^states:ListExecutions$/, /:stateMachine:storefront-dev-OrderWorkflow"/);
      readsOnly(
        /^states:(DescribeExecution|GetExecutionHistory)$/,
        /:execution:storefront-dev-OrderWorkflow:\*"/,
      );
      expect(who(/^states:ListExecutions$/, /./)).toEqual(['operations']);
      // The ARN the function builds names the machine the workflow stack deploys.
      const [[, machine] = []] = resourcesOfType(
        stackJson('order-workflow'),
        'AWS::StepFunctions::StateMachine',
      );
      expect(machine?.StateMachineName).toBe('storefront-dev-OrderWorkflow');
    });

    it('reads log lines only from the groups of the functions that log an order id', () => {
      // Prepare: the functions whose lines carry orderId, and what the function is told.
      const ORDER_LOGGERS = [
        'placeOrder',
        'startOrderWorkflow',
        ...SAGA_LAMBDAS.map(functionNameOf),
      ];
      const [filter, ...others] = of(/^logs:/);
      const variables = (
        resourcesOfType(stackJson('data'), 'AWS::Lambda::Function').find(([id]) =>
          id.startsWith('operationslambda'),
        )?.[1].Environment as { Variables: Record<string, unknown> }
      ).Variables;
      // Act
      const resources = JSON.parse(filter?.resource ?? '[]') as unknown[];
      const told = JSON.stringify(variables.ORDER_LOG_GROUPS);
      // Assess: one statement, one action, one log-group ARN per order logger, nothing wider.
      expect(others).toEqual([]);
      expect(filter?.actions).toEqual(['logs:FilterLogEvents']);
      expect(who(/^logs:FilterLogEvents$/, /./)).toEqual(['operations']);
      expect(resources).toHaveLength(ORDER_LOGGERS.length);
      for (const resource of resources)
        expect(JSON.stringify(resource)).toMatch(/arn:aws:logs:.*:log-group:.+:\*"/);
      for (const name of ORDER_LOGGERS.filter((n) => n !== 'startOrderWorkflow')) {
        expect(filter?.resource).toContain(`{"Ref":"${name}loggroup`);
        expect(told).toContain(`${name}=",{"Ref":"${name}loggroup`);
      }
      // The queue consumer's group (another stack) has a fixed name, the one the function is told.
      const intakeGroup = '/aws/lambda/storefront-dev-startOrderWorkflow';
      expect(filter?.resource).toContain(`log-group:${intakeGroup}:*`);
      expect(told).toContain(`startOrderWorkflow=${intakeGroup},`);
      expect(
        resourcesOfType(stackJson('order-intake'), 'AWS::Logs::LogGroup').map(
          ([, props]) => props.LogGroupName,
        ),
      ).toEqual([intakeGroup]);
      expect(told).not.toMatch(/stripeWebhook|receiptUrl|operations=/);
    });
  });
});
