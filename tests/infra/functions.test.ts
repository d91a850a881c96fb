import { describe, expect, it } from 'vitest';
import { SAGA_LAMBDAS } from '../../amplify/saga/registry';
import { functionNameOf, type StepNeeds } from '../../amplify/saga/step';
import {
  FUNCTION_NAMES,
  functionNameIn,
  resourcesOfType,
  stackJson,
  type FunctionName,
} from './assembly';

const functionStacks = ['data', 'order-intake'].map((name) => stackJson(name));
const functions = new Map(
  functionStacks.flatMap((template) =>
    resourcesOfType(template, 'AWS::Lambda::Function')
      .filter(([id]) => /^[A-Za-z]+lambda[0-9A-F]{8}$/.test(id) && functionNameIn(id) !== undefined)
      .map(([id, props]) => [functionNameIn(id)!, { id, props, template }] as const),
  ),
);

/** The variables each need of a saga step calls for (backend.ts sets them). */
const ENV_OF_NEED: Record<keyof StepNeeds, string[]> = {
  productTable: ['PRODUCT_TABLE_NAME'],
  orderTable: ['ORDER_TABLE_NAME'],
  stripe: ['STRIPE_SECRET_KEY'],
  receipts: ['RECEIPTS_BUCKET_NAME'],
  email: ['SHOP_FROM_EMAIL', 'STOREFRONT_URL'],
  orderEvents: ['ORDER_EVENTS_TOPIC_ARN'],
  orderErrors: ['ORDER_ERRORS_TOPIC_ARN'],
  bankWaits: ['BANK_WAITS_TABLE_NAME'],
};

/** The environment contract each function reads (besides Amplify's own data variables). */
const CONTRACT: Record<FunctionName, string[]> = {
  placeOrder: ['ORDERS_QUEUE_URL'],
  startOrderWorkflow: ['ORDER_WORKFLOW_ARN'],
  receiptUrl: ['RECEIPTS_BUCKET_NAME'],
  revalidateStorefront: ['STOREFRONT_URL', 'STOREFRONT_REVALIDATE_SECRET'],
  seedCatalog: ['PRODUCT_TABLE_NAME'],
  operations: [
    'ORDER_TABLE_NAME',
    'ORDERS_QUEUE_URL',
    'ORDERS_DLQ_URL',
    'ORDERS_DLQ_ARN',
    'ORDER_WORKFLOW_ARN',
    'ORDER_LOG_GROUPS',
  ],
  stripeWebhook: [
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET',
    'BANK_WAITS_TABLE_NAME',
    'ORDER_ERRORS_TOPIC_ARN',
    'SHOP_FROM_EMAIL',
    'STOREFRONT_URL',
  ],
  paymentAction: ['STRIPE_SECRET_KEY'],
  ...Object.fromEntries(
    SAGA_LAMBDAS.map((step) => [
      functionNameOf(step),
      (Object.keys(step.needs) as (keyof StepNeeds)[]).flatMap((need) => ENV_OF_NEED[need]),
    ]),
  ),
};

describe('Backend functions', () => {
  it('defines every function the assembly lists', () => {
    expect([...functions.keys()].sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(FUNCTION_NAMES)('%s runs on nodejs22.x with active X-Ray tracing', (name) => {
    const fn = functions.get(name)!;
    expect(fn.props.Runtime).toBe('nodejs22.x');
    expect(fn.props.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it.each(FUNCTION_NAMES)('%s logs to its own log group kept 30 days', (name) => {
    const fn = functions.get(name)!;
    const logGroupRef = (fn.props.LoggingConfig as { LogGroup?: { Ref?: string } }).LogGroup?.Ref;
    expect(logGroupRef).toBeDefined();
    expect(fn.template.Resources[logGroupRef!]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  it.each(FUNCTION_NAMES)('%s gets the environment variables it needs', (name) => {
    const variables = (fn(name).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(CONTRACT[name]?.length).toBeGreaterThan(0);
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(CONTRACT[name] ?? []));
  });

  it('passes the Stripe key only as an Amplify secret, never as a value', () => {
    const READERS = [
      'authorizePayment',
      'capturePayment',
      'voidPayment',
      'waitForBank',
      'stripeWebhook',
      'paymentAction',
    ];
    for (const name of READERS) {
      const variables = (fn(name).Environment as { Variables: Record<string, string> }).Variables;
      expect(variables.STRIPE_SECRET_KEY).toBe('<value will be resolved during runtime>');
      expect(JSON.parse(variables.AMPLIFY_SSM_ENV_CONFIG ?? '{}')).toHaveProperty(
        'STRIPE_SECRET_KEY',
      );
    }
    const others = FUNCTION_NAMES.filter((n) => !READERS.includes(n));
    for (const name of others) {
      expect(JSON.stringify(fn(name).Environment ?? {})).not.toContain('STRIPE_SECRET_KEY');
    }
  });

  it("passes the storefront's revalidate secret only to revalidateStorefront, as an Amplify secret", () => {
    const variables = (
      fn('revalidateStorefront').Environment as { Variables: Record<string, string> }
    ).Variables;
    expect(variables.STOREFRONT_REVALIDATE_SECRET).toBe('<value will be resolved during runtime>');
    expect(JSON.parse(variables.AMPLIFY_SSM_ENV_CONFIG ?? '{}')).toHaveProperty(
      'STOREFRONT_REVALIDATE_SECRET',
    );
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'revalidateStorefront')) {
      expect(JSON.stringify(fn(name).Environment ?? {})).not.toContain(
        'STOREFRONT_REVALIDATE_SECRET',
      );
    }
  });

  it('gives up on a storefront before its own timeout ends (10 s, so it never piles up)', () => {
    expect(fn('revalidateStorefront').Timeout).toBe(10);
  });
});

function fn(name: FunctionName): Record<string, unknown> {
  return functions.get(name)!.props;
}
