import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../scripts/synth';
import { readLocalAssembly, type LocalAssembly } from './index';

const naming = {
  region: 'us-east-1',
  accountId: '000000000000',
  graphqlUrl: 'http://127.0.0.1:4000/graphql',
  sqsEndpoint: 'http://127.0.0.1:4005',
};

let assembly: LocalAssembly;
let outDir: string;

// A real synthesis of amplify/ (cached by content hash), never hand-written templates.
beforeAll(async () => {
  ({ outDir } = await synthesize({ log: () => undefined }));
  assembly = readLocalAssembly(outDir, naming);
}, 900_000);

describe('Local assembly: reading cdk.out', () => {
  it('finds the Product and Order tables with the GSIs the schema declares', () => {
    const product = assembly.tables.find((t) => t.modelName === 'Product');
    const order = assembly.tables.find((t) => t.modelName === 'Order');
    expect(product?.name).toMatch(/^Product-[a-z0-9]{26}-NONE$/);
    expect(product?.keySchema).toEqual([{ attributeName: 'id', keyType: 'HASH' }]);
    expect(product?.globalSecondaryIndexes.map((g) => g.indexName).sort()).toEqual([
      'productsByCategoryAndName',
      'productsBySku',
    ]);
    expect(order?.globalSecondaryIndexes.map((g) => g.indexName).sort()).toEqual([
      'ordersByOwnerAndCreatedAt',
      'ordersByStatusAndCreatedAt',
    ]);
    expect(order?.arn).toBe(`arn:aws:dynamodb:us-east-1:000000000000:table/${order?.name}`);
  });

  it('reads the user pool, its client, ADMINS group and password policy', () => {
    const pool = assembly.userPool!;
    expect(pool.id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.clients).toHaveLength(1);
    // Amplify's client allows SRP, custom and refresh only: a password sign-in with it fails in AWS.
    expect(pool.clients[0]?.explicitAuthFlows.sort()).toEqual([
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(pool.groups.map((g) => g.name)).toEqual(['ADMINS']);
    expect(pool.usernameAttributes).toEqual(['email']);
    expect(pool.passwordPolicy).toMatchObject({ minimumLength: 8, requireSymbols: true });
    expect(pool.verificationEmailMessage).toContain('{####}');
  });

  it('reads every backend function with its bundle, timeout and resolved environment', () => {
    const names = assembly.functions.map((f) => f.name).sort();
    expect(names).toEqual(
      [
        'authorizePayment',
        'capturePayment',
        'completeOrder',
        'createShipment',
        'failOrder',
        'generateReceipt',
        'notifyCustomer',
        'operations',
        'paymentAction',
        'placeOrder',
        'receiptUrl',
        'releaseInventory',
        'reserveInventory',
        'revalidateStorefront',
        'seedCatalog',
        'startOrderWorkflow',
        'stripeWebhook',
        'validateOrder',
        'voidPayment',
        'waitForBank',
      ].sort(),
    );
    for (const fn of assembly.functions) {
      expect(existsSync(fn.handlerFile), fn.name).toBe(true);
      expect(fn.handlerFile).toMatch(/\/asset\.[0-9a-f]{64}\/index\.mjs$/);
      expect(fn.runtime).toBe('nodejs22.x');
      for (const value of Object.values(fn.environment)) expect(value).not.toMatch(/Fn::|"Ref"/);
    }
    const placeOrder = assembly.functions.find((f) => f.name === 'placeOrder')!;
    expect(placeOrder.timeoutSeconds).toBe(15);
    const queue = assembly.queues.find((q) => q.redrivePolicy)!;
    expect(placeOrder.environment['ORDERS_QUEUE_URL']).toBe(queue.url);
    expect(queue.url).toBe(`http://127.0.0.1:4005/000000000000/${queue.name}`);
  });

  it('serves the Amplify SSM references with local values', () => {
    const byName = Object.fromEntries(
      assembly.ssmParameters.map((p) => [p.name.split('/').pop(), p.value]),
    );
    expect(byName['AMPLIFY_DATA_GRAPHQL_ENDPOINT']).toBe(naming.graphqlUrl);
    const bucket = byName['AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME'];
    const deployment = assembly.bucketDeployments.find((d) => d.bucketName === bucket);
    expect(
      deployment?.sourceDirs.some((d) => existsSync(`${d}/modelIntrospectionSchema.json`)),
    ).toBe(true);
  });

  it('reads the GraphQL API: schema, key, auth modes and function-backed operations', () => {
    const api = assembly.api!;
    expect(readFileSync(api.schemaFile, 'utf8')).toContain('type Product');
    expect(api.apiKey).toMatch(/^da2-/);
    expect(api.defaultAuthorizationType).toBe('API_KEY');
    expect(api.additionalAuthorizationTypes.sort()).toEqual([
      'AMAZON_COGNITO_USER_POOLS',
      'AWS_IAM',
    ]);
    expect(api.userPoolId).toBe(assembly.userPool?.id);
    // No AppIdClientRegex: AppSync accepts tokens of every client of the pool.
    expect(api.appIdClientRegex).toBeUndefined();
    const lambdaSources = api.dataSources.filter((d) => d.type === 'AWS_LAMBDA');
    // The operations function backs three fields, each through its own data source.
    expect(lambdaSources.map((d) => d.functionName).sort()).toEqual([
      'operations',
      'operations',
      'operations',
      'paymentAction',
      'placeOrder',
      'receiptUrl',
    ]);
    const placeOrder = api.resolvers.find((r) => r.fieldName === 'placeOrder');
    expect(placeOrder?.typeName).toBe('Mutation');
    expect(placeOrder?.pipeline.map((p) => p.dataSource)).toContain('FnPlaceOrderLambdaDataSource');
  });

  it('maps the queue, its DLQ and event source mapping, the topics and the workflow to local names', () => {
    const queue = assembly.queues.find((q) => q.redrivePolicy)!;
    const dlq = assembly.queues.find((q) => q.arn === queue.redrivePolicy?.deadLetterTargetArn);
    expect(dlq).toBeDefined();
    expect(queue.redrivePolicy?.maxReceiveCount).toBe(3);
    expect(assembly.eventSourceMappings).toEqual([
      expect.objectContaining({
        functionName: 'startOrderWorkflow',
        eventSourceArn: queue.arn,
        reportBatchItemFailures: true,
      }),
    ]);
    expect(assembly.topics.map((t) => t.logicalId).join(' ')).toMatch(
      /OrderEvents.*OrderErrors.*CriticalAlerts/,
    );
    // The storefront's webhook: subscribed from the data stack to the messaging stack's topics.
    for (const name of ['OrderEvents', 'OrderErrors']) {
      const topic = assembly.topics.find((t) => t.logicalId.includes(name));
      expect(topic?.subscriptions).toEqual([
        expect.objectContaining({ protocol: 'lambda', functionName: 'revalidateStorefront' }),
      ]);
    }
    const [machine] = assembly.stateMachines;
    expect(assembly.stateMachines).toHaveLength(1);
    expect(machine?.type).toBe('STANDARD');
    expect(machine?.taskFunctions).toMatchObject({
      ValidateOrder: 'validateOrder',
      ReleaseInventory: 'releaseInventory',
      FailOrder: 'failOrder',
    });
    expect(JSON.stringify(machine?.definition)).not.toContain('Fn::');
    const start = assembly.functions.find((f) => f.name === 'startOrderWorkflow');
    expect(start?.environment['ORDER_WORKFLOW_ARN']).toBe(machine?.arn);
  });

  it('gives every resource the same local name on every read', () => {
    const again = readLocalAssembly(outDir, naming);
    expect(again.tables.map((t) => t.name)).toEqual(assembly.tables.map((t) => t.name));
    expect(again.userPool?.id).toBe(assembly.userPool?.id);
    expect(again.api?.apiKey).toBe(assembly.api?.apiKey);
    expect(again.queues.map((q) => q.url)).toEqual(assembly.queues.map((q) => q.url));
  });

  it('resolves the root outputs that amplify_outputs.json is built from', () => {
    expect(assembly.outputs['userPoolId']).toBe(assembly.userPool?.id);
    expect(assembly.outputs['awsAppsyncApiEndpoint']).toBe(naming.graphqlUrl);
    expect(assembly.outputs['bucketName']).toBe(
      assembly.buckets.find((b) => b.logicalId.startsWith('receipts'))?.name,
    );
  });
});
