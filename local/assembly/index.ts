/**
 * The local assembly: what the synthesized templates declare (tables, buckets, the user pool,
 * functions with their environment, the GraphQL API, queues, topics, state machines, event source
 * mappings), read from cdk.out into a typed model with deterministic local names and ARNs.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  AssemblyError,
  CloudAssembly,
  type CfnResource,
  type Json,
  type JsonObject,
  type NamingContext,
  type Stack,
} from './cfn';

export { AssemblyError, CloudAssembly } from './cfn';

export interface KeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}
export interface AttributeDefinition {
  attributeName: string;
  attributeType: 'S' | 'N' | 'B';
}
export interface IndexModel {
  indexName: string;
  keySchema: KeyElement[];
  projection: { projectionType: string; nonKeyAttributes?: string[] };
}
export interface TableModel {
  logicalId: string;
  /** The Amplify model the table stores (Product, Order), when Amplify's table manager made it. */
  modelName?: string;
  name: string;
  arn: string;
  streamArn?: string;
  keySchema: KeyElement[];
  attributeDefinitions: AttributeDefinition[];
  globalSecondaryIndexes: IndexModel[];
  timeToLiveAttribute?: string;
}
export interface BucketModel {
  logicalId: string;
  name: string;
  arn: string;
  /** The stack's own folder name (`storage`, `data`), to tell the app's buckets from Amplify's. */
  stackLogicalId: string;
}
/** Files CDK's BucketDeployment copies into a bucket at deploy time (the model introspection). */
export interface BucketDeploymentModel {
  logicalId: string;
  bucketName: string;
  keyPrefix: string;
  /** Local folders whose files go into the bucket. */
  sourceDirs: string[];
}
export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}
export interface UserPoolModel {
  logicalId: string;
  id: string;
  arn: string;
  name: string;
  clients: {
    logicalId: string;
    id: string;
    explicitAuthFlows: string[];
    /** ENABLED: unknown users get the same answers as known ones (no UserNotFoundException). */
    preventUserExistenceErrors: boolean;
  }[];
  groups: { name: string; precedence?: number }[];
  passwordPolicy: PasswordPolicy;
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  requiredAttributes: string[];
  /** The pool's own attributes, as users see them (`custom:<name>`). */
  customAttributes: string[];
  verificationEmailSubject: string;
  verificationEmailMessage: string;
  identityPoolId?: string;
}
export interface FunctionModel {
  logicalId: string;
  /** The Amplify function's name (defineFunction `name`), else the logical id. */
  name: string;
  functionName: string;
  arn: string;
  /** Absolute path of the bundled handler module (cdk.out/asset.<hash>/index.mjs). */
  handlerFile: string;
  handlerExport: string;
  timeoutSeconds: number;
  memoryMB: number;
  runtime: string;
  /** The template's environment with every token resolved to local names and endpoints. */
  environment: Record<string, string>;
  /**
   * Where the function's lines go: its LoggingConfig's log group (Amplify creates one per function
   * with a retention), else Lambda's default `/aws/lambda/<function name>`.
   */
  logGroupName?: string;
}
export interface SsmParameterModel {
  name: string;
  value: string;
}
export interface DataSourceModel {
  name: string;
  type: string;
  tableName?: string;
  functionName?: string;
}
export interface ResolverModel {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  dataSource?: string;
  /** Data source of each pipeline function, in order. */
  pipeline: { name: string; dataSource: string }[];
}
export interface GraphqlApiModel {
  logicalId: string;
  id: string;
  name: string;
  arn: string;
  url: string;
  apiKey?: string;
  defaultAuthorizationType: string;
  additionalAuthorizationTypes: string[];
  userPoolId?: string;
  /** The user pool provider's `AppIdClientRegex`; absent, AppSync accepts every client of the pool. */
  appIdClientRegex?: string;
  /** The transformed schema (asset.<hash>.graphql). */
  schemaFile: string;
  /** modelIntrospectionSchema.json as Amplify deploys it for the functions. */
  modelIntrospectionFile?: string;
  dataSources: DataSourceModel[];
  resolvers: ResolverModel[];
}
export interface QueueModel {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  delaySeconds: number;
  receiveWaitTimeSeconds: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}
export interface SubscriptionModel {
  logicalId: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  rawMessageDelivery: boolean;
  filterPolicy?: Json;
  /** The local function a `lambda` subscription invokes. */
  functionName?: string;
}
export interface TopicModel {
  logicalId: string;
  name: string;
  arn: string;
  subscriptions: SubscriptionModel[];
}
export interface StateMachineModel {
  logicalId: string;
  name: string;
  arn: string;
  type: 'STANDARD' | 'EXPRESS';
  /** The ASL with every token resolved. */
  definition: JsonObject;
  /** Task state name -> Amplify function name, for Lambda tasks (nested Parallel/Map states too). */
  taskFunctions: Record<string, string>;
}
export interface EventSourceMappingModel {
  logicalId: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

export interface LocalAssembly {
  outDir: string;
  stackName: string;
  region: string;
  accountId: string;
  tables: TableModel[];
  buckets: BucketModel[];
  bucketDeployments: BucketDeploymentModel[];
  userPool?: UserPoolModel;
  functions: FunctionModel[];
  ssmParameters: SsmParameterModel[];
  api?: GraphqlApiModel;
  queues: QueueModel[];
  topics: TopicModel[];
  stateMachines: StateMachineModel[];
  eventSourceMappings: EventSourceMappingModel[];
  /** API Gateway HTTP API routes with a Lambda proxy integration (the Stripe webhook). */
  httpRoutes: HttpRouteModel[];
  /** The root stack's outputs, resolved: what `ampx` turns into amplify_outputs.json. */
  outputs: Record<string, string>;
}

export interface HttpRouteModel {
  apiLogicalId: string;
  apiId: string;
  /** `POST /stripe/webhook` */
  method: string;
  path: string;
  functionName: string;
  payloadFormatVersion: string;
}

/** Cognito's standard attributes: every user pool has them, declared in its Schema or not. */
export const STANDARD_USER_ATTRIBUTES: readonly string[] = [
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'updated_at',
  'website',
  'zoneinfo',
];

const str = (v: Json | undefined, fallback = ''): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
const num = (v: Json | undefined, fallback: number): number =>
  v === undefined || v === null || v === '' ? fallback : Number(v);
const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const obj = (v: Json | undefined): JsonObject =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};

function tags(resource: CfnResource): Record<string, string> {
  const raw = resource.Properties?.['Tags'];
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const t of raw) {
      const tag = obj(t);
      if (typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string')
        out[tag['Key']] = tag['Value'];
    }
  }
  return out;
}

/** Reads a cdk.out folder into the typed local model (throws AssemblyError on what it cannot read). */
export function readLocalAssembly(outDir: string, naming: NamingContext): LocalAssembly {
  const cfn = new CloudAssembly(outDir, naming);
  const functions = readFunctions(cfn);
  const byArn = new Map(functions.map((f) => [f.arn, f]));
  const functionByArn = (arn: string): FunctionModel | undefined =>
    byArn.get(arn) ?? functions.find((f) => arn.startsWith(`${f.arn}:`));
  return {
    outDir,
    stackName: cfn.root.name,
    region: naming.region,
    accountId: naming.accountId,
    tables: readTables(cfn),
    buckets: cfn.resourcesOfType('AWS::S3::Bucket').map(({ stack, logicalId }) => {
      const name = cfn.resolveString(stack, { Ref: logicalId });
      return {
        logicalId,
        name,
        arn: `arn:aws:s3:::${name}`,
        stackLogicalId: stack.path.at(-1) ?? '',
      };
    }),
    bucketDeployments: readBucketDeployments(cfn),
    userPool: readUserPool(cfn),
    functions,
    ssmParameters: cfn.resourcesOfType('AWS::SSM::Parameter').map(({ stack, resource }) => ({
      name: str(cfn.property(stack, resource, 'Name')),
      value: str(cfn.property(stack, resource, 'Value')),
    })),
    api: readApi(cfn, functionByArn),
    queues: readQueues(cfn),
    topics: readTopics(cfn, functionByArn),
    stateMachines: readStateMachines(cfn, functionByArn),
    eventSourceMappings: cfn
      .resourcesOfType('AWS::Lambda::EventSourceMapping')
      .map(({ stack, logicalId, resource }) => {
        const target = str(cfn.property(stack, resource, 'FunctionName'));
        const fn = functions.find(
          (f) => f.functionName === target || f.arn === target || target.startsWith(`${f.arn}:`),
        );
        if (!fn)
          throw new AssemblyError(`Event source mapping ${logicalId} targets unknown ${target}`);
        return {
          logicalId,
          functionName: fn.name,
          eventSourceArn: str(cfn.property(stack, resource, 'EventSourceArn')),
          batchSize: num(cfn.property(stack, resource, 'BatchSize'), 10),
          maximumBatchingWindowSeconds: num(
            cfn.property(stack, resource, 'MaximumBatchingWindowInSeconds'),
            0,
          ),
          reportBatchItemFailures: list(
            cfn.property(stack, resource, 'FunctionResponseTypes'),
          ).includes('ReportBatchItemFailures'),
          enabled: cfn.property(stack, resource, 'Enabled') !== false,
        };
      }),
    httpRoutes: readHttpRoutes(cfn, functionByArn),
    outputs: Object.fromEntries(
      Object.entries(cfn.root.template.Outputs ?? {}).map(([key, output]) => [
        key,
        str(cfn.resolve(cfn.root, output.Value)),
      ]),
    ),
  };
}

function readTables(cfn: CloudAssembly): TableModel[] {
  const out: TableModel[] = [];
  for (const type of ['Custom::AmplifyDynamoDBTable', 'AWS::DynamoDB::Table']) {
    const amplify = type === 'Custom::AmplifyDynamoDBTable';
    for (const { stack, logicalId, resource } of cfn.resourcesOfType(type)) {
      const p = (key: string): Json | undefined =>
        cfn.property(stack, resource, amplify ? key : key[0]?.toUpperCase() + key.slice(1));
      const lower = (v: Json | undefined): Json => lowerKeys(v ?? null);
      const name = cfn.resolveString(stack, { Ref: logicalId });
      const ttl = obj(lower(p('timeToLiveSpecification')));
      out.push({
        logicalId,
        modelName: amplify ? logicalId.replace(/Table$/, '') : undefined,
        name,
        arn: str(cfn.getAtt(stack, logicalId, amplify ? 'TableArn' : 'Arn')),
        streamArn: p('streamSpecification')
          ? str(cfn.getAtt(stack, logicalId, amplify ? 'TableStreamArn' : 'StreamArn'))
          : undefined,
        keySchema: lower(p('keySchema')) as unknown as KeyElement[],
        attributeDefinitions: lower(p('attributeDefinitions')) as unknown as AttributeDefinition[],
        globalSecondaryIndexes: list(lower(p('globalSecondaryIndexes'))).map((g) => {
          const gsi = obj(g);
          return {
            indexName: str(gsi['indexName']),
            keySchema: gsi['keySchema'] as unknown as KeyElement[],
            projection: (gsi['projection'] ?? {
              projectionType: 'ALL',
            }) as IndexModel['projection'],
          };
        }),
        timeToLiveAttribute: ttl['enabled'] === true ? str(ttl['attributeName']) : undefined,
      });
    }
  }
  return out;
}

/** CloudFormation's DynamoDB props are PascalCase, Amplify's table manager's camelCase. */
function lowerKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k[0]?.toLowerCase() + k.slice(1), lowerKeys(v)]),
    );
  }
  return value;
}

function readBucketDeployments(cfn: CloudAssembly): BucketDeploymentModel[] {
  return cfn
    .resourcesOfType('Custom::CDKBucketDeployment')
    .map(({ stack, logicalId, resource }) => {
      const keys = list(resource.Properties?.['SourceObjectKeys']).map((k) =>
        str(cfn.resolve(stack, k)),
      );
      const sourceDirs = keys.map((key) => {
        const dir = cfn.assets.resolve(key);
        if (!dir) throw new AssemblyError(`No asset for ${key} (${logicalId})`);
        return dir;
      });
      return {
        logicalId,
        bucketName: str(cfn.property(stack, resource, 'DestinationBucketName')),
        keyPrefix: str(cfn.property(stack, resource, 'DestinationBucketKeyPrefix')),
        sourceDirs,
      };
    });
}

function readUserPool(cfn: CloudAssembly): UserPoolModel | undefined {
  const pools = cfn.resourcesOfType('AWS::Cognito::UserPool');
  if (pools.length === 0) return undefined;
  if (pools.length > 1) throw new AssemblyError('More than one user pool: not supported locally');
  const { stack, logicalId, resource } = pools[0] as (typeof pools)[number];
  const id = cfn.resolveString(stack, { Ref: logicalId });
  const p = (key: string): Json | undefined => cfn.property(stack, resource, key);
  const policy = obj(obj(p('Policies'))['PasswordPolicy']);
  const template = obj(p('VerificationMessageTemplate'));
  const belongs = (s: Stack, r: CfnResource): boolean => cfn.property(s, r, 'UserPoolId') === id;
  const identityPool = cfn.resourcesOfType('AWS::Cognito::IdentityPool')[0];
  return {
    logicalId,
    id,
    arn: str(cfn.getAtt(stack, logicalId, 'Arn')),
    name: str(p('UserPoolName'), logicalId),
    clients: cfn
      .resourcesOfType('AWS::Cognito::UserPoolClient')
      .filter(({ stack: s, resource: r }) => belongs(s, r))
      .map(({ stack: s, logicalId: l, resource: r }) => ({
        logicalId: l,
        id: cfn.resolveString(s, { Ref: l }),
        explicitAuthFlows: list(cfn.property(s, r, 'ExplicitAuthFlows')).map((f) => str(f)),
        preventUserExistenceErrors:
          str(cfn.property(s, r, 'PreventUserExistenceErrors')) === 'ENABLED',
      })),
    groups: cfn
      .resourcesOfType('AWS::Cognito::UserPoolGroup')
      .filter(({ stack: s, resource: r }) => belongs(s, r))
      .map(({ stack: s, resource: r, logicalId: l }) => {
        const precedence = cfn.property(s, r, 'Precedence');
        return {
          name: str(cfn.property(s, r, 'GroupName'), l),
          precedence: precedence === undefined ? undefined : Number(precedence),
        };
      }),
    passwordPolicy: {
      minimumLength: num(policy['MinimumLength'], 8),
      requireLowercase: policy['RequireLowercase'] !== false,
      requireUppercase: policy['RequireUppercase'] !== false,
      requireNumbers: policy['RequireNumbers'] !== false,
      requireSymbols: policy['RequireSymbols'] !== false,
    },
    usernameAttributes: list(p('UsernameAttributes')).map((a) => str(a)),
    autoVerifiedAttributes: list(p('AutoVerifiedAttributes')).map((a) => str(a)),
    requiredAttributes: list(p('Schema'))
      .map(obj)
      .filter((a) => a['Required'] === true)
      .map((a) => str(a['Name'])),
    customAttributes: list(p('Schema'))
      .map(obj)
      .map((a) => str(a['Name']))
      .filter((name) => !STANDARD_USER_ATTRIBUTES.includes(name))
      .map((name) => (name.startsWith('custom:') ? name : `custom:${name}`)),
    verificationEmailSubject: str(
      template['EmailSubject'] ?? p('EmailVerificationSubject'),
      'Your verification code',
    ),
    verificationEmailMessage: str(
      template['EmailMessage'] ?? p('EmailVerificationMessage'),
      'Your verification code is {####}',
    ),
    identityPoolId: identityPool
      ? cfn.resolveString(identityPool.stack, { Ref: identityPool.logicalId })
      : undefined,
  };
}

function readFunctions(cfn: CloudAssembly): FunctionModel[] {
  return cfn.resourcesOfType('AWS::Lambda::Function').flatMap(({ stack, logicalId, resource }) => {
    const code = obj(resource.Properties?.['Code']);
    const key = code['S3Key'] ? str(cfn.resolve(stack, code['S3Key'])) : undefined;
    const dir = key ? cfn.assets.resolve(key) : undefined;
    const handler = str(resource.Properties?.['Handler'], 'index.handler');
    const dot = handler.lastIndexOf('.');
    const moduleBase = handler.slice(0, dot);
    const file = dir ? findModule(dir, moduleBase) : undefined;
    const env = obj(obj(cfn.property(stack, resource, 'Environment'))['Variables']);
    // Only the backend's own functions run locally: every Amplify defineFunction carries the SSM
    // env config; CDK's and Amplify's deploy-time helpers (custom resources) are not needed here.
    if (!file || env['AMPLIFY_SSM_ENV_CONFIG'] === undefined) return [];
    const friendly = tags(resource)['amplify:friendly-name'];
    const functionName = cfn.resolveString(stack, { Ref: logicalId });
    const logGroup = obj(cfn.property(stack, resource, 'LoggingConfig'))['LogGroup'];
    return [
      {
        logicalId,
        name: friendly ?? logicalId,
        functionName,
        arn: str(cfn.getAtt(stack, logicalId, 'Arn')),
        handlerFile: file,
        handlerExport: handler.slice(dot + 1),
        timeoutSeconds: num(cfn.property(stack, resource, 'Timeout'), 3),
        memoryMB: num(cfn.property(stack, resource, 'MemorySize'), 128),
        runtime: str(cfn.property(stack, resource, 'Runtime'), 'nodejs22.x'),
        environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, str(v)])),
        logGroupName: typeof logGroup === 'string' ? logGroup : `/aws/lambda/${functionName}`,
      },
    ];
  });
}

function findModule(dir: string, base: string): string | undefined {
  for (const ext of ['.mjs', '.js', '.cjs']) {
    const file = path.join(dir, base + ext);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function readApi(
  cfn: CloudAssembly,
  functionByArn: (arn: string) => FunctionModel | undefined,
): GraphqlApiModel | undefined {
  const apis = cfn.resourcesOfType('AWS::AppSync::GraphQLApi');
  if (apis.length === 0) return undefined;
  if (apis.length > 1) throw new AssemblyError('More than one GraphQL API: not supported locally');
  const { stack, logicalId, resource } = apis[0] as (typeof apis)[number];
  const apiId = str(cfn.getAtt(stack, logicalId, 'ApiId'));
  const schema = cfn
    .resourcesOfType('AWS::AppSync::GraphQLSchema')
    .find(({ stack: s, resource: r }) => cfn.property(s, r, 'ApiId') === apiId);
  const schemaUrl = schema
    ? str(cfn.property(schema.stack, schema.resource, 'DefinitionS3Location'))
    : '';
  const schemaFile = cfn.assets.resolve(schemaUrl);
  if (!schemaFile) throw new AssemblyError(`No transformed schema asset for ${logicalId}`);
  const key = cfn
    .resourcesOfType('AWS::AppSync::ApiKey')
    .find(({ stack: s, resource: r }) => cfn.property(s, r, 'ApiId') === apiId);
  const additional = list(cfn.property(stack, resource, 'AdditionalAuthenticationProviders')).map(
    obj,
  );
  const poolConfig = [
    obj(cfn.property(stack, resource, 'UserPoolConfig')),
    ...additional.map((a) => obj(a['UserPoolConfig'])),
  ].find((c) => c['UserPoolId'] !== undefined);
  const userPoolConfig = poolConfig?.['UserPoolId'];
  const appIdClientRegex = poolConfig?.['AppIdClientRegex'];

  const dataSources: DataSourceModel[] = cfn
    .resourcesOfType('AWS::AppSync::DataSource')
    .map(({ stack: s, resource: r, logicalId: l }) => {
      const type = str(cfn.property(s, r, 'Type'));
      const out: DataSourceModel = { name: str(cfn.property(s, r, 'Name'), l), type };
      if (type === 'AMAZON_DYNAMODB') {
        out.tableName = str(obj(cfn.property(s, r, 'DynamoDBConfig'))['TableName']);
      }
      if (type === 'AWS_LAMBDA') {
        const arn = str(obj(cfn.property(s, r, 'LambdaConfig'))['LambdaFunctionArn']);
        out.functionName = functionByArn(arn)?.name;
      }
      return out;
    });
  const functionConfigs = new Map<string, { name: string; dataSource: string }>();
  for (const { stack: s, logicalId: l, resource: r } of cfn.resourcesOfType(
    'AWS::AppSync::FunctionConfiguration',
  )) {
    functionConfigs.set(`${s.name}|${l}`, {
      name: str(cfn.property(s, r, 'Name'), l),
      dataSource: str(cfn.property(s, r, 'DataSourceName')),
    });
  }
  const resolvers: ResolverModel[] = cfn
    .resourcesOfType('AWS::AppSync::Resolver')
    .map(({ stack: s, resource: r }) => {
      const pipeline = list(obj(r.Properties?.['PipelineConfig'])['Functions']).flatMap((f) => {
        // Each entry is a GetAtt of a FunctionConfiguration in the same stack.
        const ref = obj(f)['Fn::GetAtt'];
        const target = Array.isArray(ref) ? str(ref[0]) : '';
        const config = functionConfigs.get(`${s.name}|${target}`);
        return config ? [config] : [];
      });
      return {
        typeName: str(cfn.property(s, r, 'TypeName')),
        fieldName: str(cfn.property(s, r, 'FieldName')),
        kind: str(cfn.property(s, r, 'Kind'), 'UNIT') === 'PIPELINE' ? 'PIPELINE' : 'UNIT',
        dataSource: r.Properties?.['DataSourceName']
          ? str(cfn.property(s, r, 'DataSourceName'))
          : undefined,
        pipeline,
      };
    });

  // The functions read the model introspection from the bucket its SSM parameter names.
  const introspection = readBucketDeployments(cfn)
    .flatMap((d) => d.sourceDirs)
    .map((dir) => path.join(dir, 'modelIntrospectionSchema.json'))
    .find((file) => existsSync(file));

  return {
    logicalId,
    id: apiId,
    name: str(cfn.property(stack, resource, 'Name')),
    arn: str(cfn.getAtt(stack, logicalId, 'Arn')),
    url: str(cfn.getAtt(stack, logicalId, 'GraphQLUrl')),
    apiKey: key ? str(cfn.getAtt(key.stack, key.logicalId, 'ApiKey')) : undefined,
    defaultAuthorizationType: str(cfn.property(stack, resource, 'AuthenticationType')),
    additionalAuthorizationTypes: additional.map((a) => str(a['AuthenticationType'])),
    userPoolId: userPoolConfig ? str(userPoolConfig) : undefined,
    appIdClientRegex: appIdClientRegex === undefined ? undefined : str(appIdClientRegex),
    schemaFile,
    modelIntrospectionFile: introspection,
    dataSources,
    resolvers,
  };
}

function readQueues(cfn: CloudAssembly): QueueModel[] {
  return cfn.resourcesOfType('AWS::SQS::Queue').map(({ stack, logicalId, resource }) => {
    const p = (key: string): Json | undefined => cfn.property(stack, resource, key);
    const redrive = obj(p('RedrivePolicy'));
    return {
      logicalId,
      name: str(cfn.getAtt(stack, logicalId, 'QueueName')),
      url: cfn.resolveString(stack, { Ref: logicalId }),
      arn: str(cfn.getAtt(stack, logicalId, 'Arn')),
      fifo: p('FifoQueue') === true || p('FifoQueue') === 'true',
      visibilityTimeoutSeconds: num(p('VisibilityTimeout'), 30),
      messageRetentionSeconds: num(p('MessageRetentionPeriod'), 345_600),
      delaySeconds: num(p('DelaySeconds'), 0),
      receiveWaitTimeSeconds: num(p('ReceiveMessageWaitTimeSeconds'), 0),
      redrivePolicy: redrive['deadLetterTargetArn']
        ? {
            deadLetterTargetArn: str(redrive['deadLetterTargetArn']),
            maxReceiveCount: num(redrive['maxReceiveCount'], 1),
          }
        : undefined,
    };
  });
}

function readTopics(
  cfn: CloudAssembly,
  functionByArn: (arn: string) => FunctionModel | undefined,
): TopicModel[] {
  const subscriptions: SubscriptionModel[] = cfn
    .resourcesOfType('AWS::SNS::Subscription')
    .map(({ stack, logicalId, resource }) => {
      const p = (key: string): Json | undefined => cfn.property(stack, resource, key);
      const protocol = str(p('Protocol'));
      const endpoint = str(p('Endpoint'));
      return {
        logicalId,
        topicArn: str(p('TopicArn')),
        protocol,
        endpoint,
        rawMessageDelivery: p('RawMessageDelivery') === true || p('RawMessageDelivery') === 'true',
        filterPolicy: p('FilterPolicy'),
        functionName: protocol === 'lambda' ? functionByArn(endpoint)?.name : undefined,
      };
    });
  return cfn.resourcesOfType('AWS::SNS::Topic').map(({ stack, logicalId, resource }) => {
    const arn = cfn.resolveString(stack, { Ref: logicalId });
    // Inline subscriptions on the topic itself count as well.
    const inline = list(cfn.property(stack, resource, 'Subscription')).map((s, i) => {
      const sub = obj(s);
      const endpoint = str(sub['Endpoint']);
      const protocol = str(sub['Protocol']);
      return {
        logicalId: `${logicalId}Subscription${i}`,
        topicArn: arn,
        protocol,
        endpoint,
        rawMessageDelivery: false,
        functionName: protocol === 'lambda' ? functionByArn(endpoint)?.name : undefined,
      };
    });
    return {
      logicalId,
      name: arn.split(':').pop() ?? logicalId,
      arn,
      subscriptions: [...subscriptions.filter((s) => s.topicArn === arn), ...inline],
    };
  });
}

function readStateMachines(
  cfn: CloudAssembly,
  functionByArn: (arn: string) => FunctionModel | undefined,
): StateMachineModel[] {
  return cfn
    .resourcesOfType('AWS::StepFunctions::StateMachine')
    .flatMap(({ stack, logicalId, resource }) => {
      const p = (key: string): Json | undefined => cfn.property(stack, resource, key);
      let definition: JsonObject;
      const raw = p('DefinitionString') ?? p('Definition');
      try {
        definition = typeof raw === 'string' ? (JSON.parse(raw) as JsonObject) : obj(raw);
      } catch (error) {
        throw new AssemblyError(`State machine ${logicalId} has no readable definition`, {
          cause: error,
        });
      }
      const taskFunctions: Record<string, string> = {};
      const visit = (states: JsonObject): void => {
        for (const [name, s] of Object.entries(states)) {
          const state = obj(s);
          if (state['Type'] === 'Task') {
            const res = str(state['Resource']);
            const params = obj(state['Parameters'] ?? state['Arguments']);
            const target = res.startsWith('arn:aws:states:::lambda:invoke')
              ? str(params['FunctionName'] ?? params['FunctionName.$'])
              : res;
            const fn = functionByArn(target);
            if (fn) taskFunctions[name] = fn.name;
          }
          for (const branch of list(state['Branches'])) visit(obj(obj(branch)['States']));
          const iterator = obj(state['ItemProcessor'] ?? state['Iterator']);
          if (iterator['States']) visit(obj(iterator['States']));
        }
      };
      visit(obj(definition['States']));
      const arn = cfn.resolveString(stack, { Ref: logicalId });
      // The Amplify table manager's waiter machine is CloudFormation plumbing, not the app's.
      const isAmplifyPlumbing = logicalId.startsWith('AmplifyTableWaiterStateMachine');
      if (isAmplifyPlumbing) return [];
      return [
        {
          logicalId,
          name: arn.split(':').pop() ?? logicalId,
          arn,
          type: str(p('StateMachineType'), 'STANDARD') === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
          definition,
          taskFunctions,
        },
      ];
    });
}

/** The asset folders of a cloud assembly (for a cache key or a sanity check). */
export function listAssetDirs(outDir: string): string[] {
  return readdirSync(outDir).filter((f) => f.startsWith('asset.'));
}

/** Each HTTP API route whose target is a Lambda proxy integration, with the function it runs. */
function readHttpRoutes(
  cfn: CloudAssembly,
  functionByArn: (arn: string) => FunctionModel | undefined,
): HttpRouteModel[] {
  return cfn.resourcesOfType('AWS::ApiGatewayV2::Route').flatMap(({ stack, resource }) => {
    const routeKey = str(cfn.property(stack, resource, 'RouteKey'));
    const target = str(cfn.property(stack, resource, 'Target'));
    const integrationId = target.startsWith('integrations/') ? target.slice(13) : '';
    const integration = cfn
      .resourcesOfType('AWS::ApiGatewayV2::Integration')
      .find(
        (candidate) =>
          candidate.stack === stack &&
          cfn.resolveString(stack, { Ref: candidate.logicalId }) === integrationId,
      );
    if (!integration) return [];
    const uri = str(cfn.property(stack, integration.resource, 'IntegrationUri'));
    const fn = functionByArn(uri);
    if (!fn) throw new AssemblyError(`HTTP API route ${routeKey} targets unknown ${uri}`);
    const [method = 'ANY', path = '/'] = routeKey.split(' ');
    const api = obj(resource.Properties?.['ApiId']);
    const apiLogicalId = str(obj(api)['Ref']);
    return [
      {
        apiLogicalId,
        apiId: str(cfn.property(stack, resource, 'ApiId')),
        method,
        path,
        functionName: fn.name,
        payloadFormatVersion: str(
          cfn.property(stack, integration.resource, 'PayloadFormatVersion'),
          '2.0',
        ),
      },
    ];
  });
}
