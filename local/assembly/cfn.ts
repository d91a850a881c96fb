/**
 * A small CloudFormation evaluator over a synthesized cloud assembly: loads the root template and
 * its nested stacks, and resolves intrinsic functions (Ref, GetAtt, Join, Sub, Select, Split, If,
 * ImportValue...) to the deterministic local names and ARNs of each resource.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface CfnResource {
  Type: string;
  Properties?: JsonObject;
  Condition?: string;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: Json }>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
  Conditions?: Record<string, Json>;
}

/** One stack of the assembly, nested or root. */
export interface Stack {
  /** Path of logical ids from the root, e.g. ['data', 'amplifyDataProduct...']. */
  path: string[];
  name: string;
  templateFile: string;
  template: CfnTemplate;
  parent?: Stack;
  /** The nested-stack resource's Parameters, resolved in the parent. */
  parameterValues: Record<string, Json>;
  children: Map<string, Stack>;
}

/** Where the evaluator sends names that depend on the local endpoints. */
export interface NamingContext {
  region: string;
  accountId: string;
  graphqlUrl: string;
  sqsEndpoint: string;
  /** Where the local HTTP API engine serves API Gateway HTTP APIs (their `ApiEndpoint`). */
  httpApiUrl?: string;
}

export class AssemblyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssemblyError';
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

interface AssetFile {
  source: { path: string; packaging?: string };
  destinations: Record<string, { objectKey: string }>;
}

/** Maps an S3 object key of the CDK asset bucket (`<hash>.zip`, `<hash>.json`) to a local path. */
export class AssetIndex {
  private readonly byKey = new Map<string, string>();

  constructor(readonly outDir: string) {}

  addManifest(file: string): void {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      files?: Record<string, AssetFile>;
    };
    for (const asset of Object.values(manifest.files ?? {})) {
      for (const destination of Object.values(asset.destinations)) {
        this.byKey.set(destination.objectKey, path.resolve(this.outDir, asset.source.path));
      }
    }
  }

  /** The local file or folder of an asset object key, or of an `s3://bucket/key` URL. */
  resolve(keyOrUrl: string): string | undefined {
    const key = keyOrUrl.replace(/^s3:\/\/[^/]+\//, '').replace(/^https:\/\/.*\//, '');
    return this.byKey.get(key);
  }
}

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex');
}

/** Deterministic lowercase alphanumerics derived from a seed (for ids such as an AppSync api id). */
export function deterministicId(
  seed: string,
  length: number,
  alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789',
): string {
  const hex = shortHash(seed) + shortHash(seed, 'more');
  let out = '';
  for (let i = 0; out.length < length; i += 2) {
    out +=
      alphabet[parseInt(hex.slice(i % hex.length, (i % hex.length) + 2), 16) % alphabet.length];
  }
  return out;
}

/** The cloud assembly as a tree of stacks plus an evaluator of their expressions. */
export class CloudAssembly {
  readonly root: Stack;
  readonly assets: AssetIndex;
  private readonly cache = new Map<string, Json | typeof NO_VALUE>();
  private readonly resolving = new Set<string>();

  constructor(
    readonly outDir: string,
    readonly naming: NamingContext,
  ) {
    const manifestFile = path.join(outDir, 'manifest.json');
    let manifest: {
      artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
    };
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    } catch (error) {
      throw new AssemblyError(`No cloud assembly at ${outDir} (run npm run synth)`, {
        cause: error,
      });
    }
    this.assets = new AssetIndex(outDir);
    const stacks: { name: string; file: string }[] = [];
    for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:asset-manifest' && artifact.properties) {
        this.assets.addManifest(path.join(outDir, (artifact.properties as { file: string }).file));
      }
      if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
        stacks.push({ name, file: artifact.properties.templateFile });
      }
    }
    const first = stacks[0];
    if (stacks.length !== 1 || !first) {
      throw new AssemblyError(
        `Expected one root stack in ${manifestFile}, found ${stacks.map((s) => s.name).join(', ') || 'none'}`,
      );
    }
    this.root = this.loadStack(first.name, path.join(outDir, first.file), [], undefined, {});
  }

  private loadStack(
    name: string,
    file: string,
    stackPath: string[],
    parent: Stack | undefined,
    parameterValues: Record<string, Json>,
  ): Stack {
    const template = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
    const stack: Stack = {
      path: stackPath,
      name,
      templateFile: file,
      template,
      parent,
      parameterValues,
      children: new Map(),
    };
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
      const url = this.templateUrlKey(stack, resource.Properties?.['TemplateURL'] ?? null);
      const childFile = url ? this.assets.resolve(url) : undefined;
      if (!childFile) throw new AssemblyError(`No nested template for ${logicalId} in ${file}`);
      const params: Record<string, Json> = {};
      // Parameters are resolved lazily through the parent (see parameter()).
      for (const key of Object.keys((resource.Properties?.['Parameters'] as JsonObject) ?? {})) {
        params[key] = null;
      }
      const childName = `${name}-${logicalId}`.slice(0, 128);
      const child = this.loadStack(childName, childFile, [...stackPath, logicalId], stack, params);
      stack.children.set(logicalId, child);
    }
    return stack;
  }

  private templateUrlKey(stack: Stack, url: Json): string | undefined {
    // TemplateURL is a Join ending in "/<hash>.json": only the last literal piece matters here.
    const flat = JSON.stringify(url);
    const match = /([0-9a-f]{64}\.json)/.exec(flat);
    void stack;
    return match?.[1];
  }

  /** Every stack, root first. */
  stacks(): Stack[] {
    const out: Stack[] = [];
    const walk = (stack: Stack): void => {
      out.push(stack);
      for (const child of stack.children.values()) walk(child);
    };
    walk(this.root);
    return out;
  }

  /** Every resource of a type across all stacks. */
  resourcesOfType(type: string): { stack: Stack; logicalId: string; resource: CfnResource }[] {
    const out: { stack: Stack; logicalId: string; resource: CfnResource }[] = [];
    for (const stack of this.stacks()) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (resource.Type === type) out.push({ stack, logicalId, resource });
      }
    }
    return out;
  }

  /** Resolves every intrinsic in a value of a stack; AWS::NoValue entries are dropped. */
  resolve(stack: Stack, value: Json | undefined): Json {
    const out = this.evaluate(stack, value ?? null);
    return out === NO_VALUE ? null : out;
  }

  /** Resolves a value that must be a string. */
  resolveString(stack: Stack, value: Json | undefined): string {
    const out = this.resolve(stack, value);
    if (typeof out === 'string') return out;
    if (typeof out === 'number' || typeof out === 'boolean') return String(out);
    throw new AssemblyError(`Expected a string in ${stack.name}, got ${JSON.stringify(out)}`);
  }

  private evaluate(stack: Stack, value: Json): Json | typeof NO_VALUE {
    if (Array.isArray(value)) {
      return value.map((v) => this.evaluate(stack, v)).filter((v): v is Json => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0] as string;
      const arg = value[key] as Json;
      switch (key) {
        case 'Ref':
          return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [logicalId, ...attr] =
            typeof arg === 'string' ? arg.split('.') : (arg as Json[]).map(String);
          return this.getAtt(stack, String(logicalId), attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Json];
          const list = this.evaluate(stack, parts);
          return (list as Json[]).map((p) => this.stringify(p)).join(sep);
        }
        case 'Fn::Sub':
          return this.sub(stack, arg);
        case 'Fn::Select': {
          const [index, list] = arg as [Json, Json];
          const items = this.evaluate(stack, list) as Json[];
          return items[Number(this.evaluate(stack, index))] ?? null;
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, Json];
          return this.stringify(this.evaluate(stack, source) as Json).split(sep);
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = arg as [string, Json, Json];
          return this.evaluate(stack, this.condition(stack, condition) ? whenTrue : whenFalse);
        }
        case 'Fn::Equals':
        case 'Fn::Not':
        case 'Fn::And':
        case 'Fn::Or':
        case 'Condition':
          return this.conditionValue(stack, value);
        case 'Fn::Base64':
          return Buffer.from(this.stringify(this.evaluate(stack, arg) as Json)).toString('base64');
        case 'Fn::ImportValue':
          return this.importValue(this.stringify(this.evaluate(stack, arg) as Json));
        case 'Fn::GetAZs':
          return [`${this.naming.region}a`, `${this.naming.region}b`];
        case 'Fn::FindInMap':
          throw new AssemblyError(`Fn::FindInMap is not supported (${stack.name})`);
        default:
          break;
      }
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.evaluate(stack, v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private stringify(value: Json): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  private sub(stack: Stack, arg: Json): string {
    const [template, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, JsonObject]);
    const resolvedVars: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars ?? {})) {
      resolvedVars[k] = this.stringify(this.evaluate(stack, v) as Json);
    }
    return template.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      if (name in resolvedVars) return resolvedVars[name] as string;
      if (name.includes('.')) {
        const [logicalId, ...attr] = name.split('.');
        return this.stringify(this.getAtt(stack, String(logicalId), attr.join('.')) as Json);
      }
      const ref = this.ref(stack, name);
      return ref === NO_VALUE ? '' : this.stringify(ref);
    });
  }

  private condition(stack: Stack, name: string): boolean {
    const expression = stack.template.Conditions?.[name];
    if (expression === undefined)
      throw new AssemblyError(`Unknown condition ${name} in ${stack.name}`);
    return Boolean(this.conditionValue(stack, expression));
  }

  private conditionValue(stack: Stack, expression: Json): boolean {
    if (expression === null || typeof expression !== 'object' || Array.isArray(expression)) {
      return Boolean(expression);
    }
    const [key, arg] = Object.entries(expression)[0] ?? [];
    switch (key) {
      case 'Fn::Equals': {
        const [a, b] = (arg as Json[]).map((x) => this.stringify(this.resolve(stack, x)));
        return a === b;
      }
      case 'Fn::Not':
        return !this.conditionValue(stack, (arg as Json[])[0] ?? null);
      case 'Fn::And':
        return (arg as Json[]).every((x) => this.conditionValue(stack, x));
      case 'Fn::Or':
        return (arg as Json[]).some((x) => this.conditionValue(stack, x));
      case 'Condition':
        return this.condition(stack, String(arg));
      default:
        return Boolean(this.resolve(stack, expression));
    }
  }

  private importValue(exportName: string): Json {
    for (const stack of this.stacks()) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export && this.resolve(stack, output.Export.Name) === exportName) {
          return this.resolve(stack, output.Value);
        }
      }
    }
    throw new AssemblyError(`No stack exports ${exportName}`);
  }

  /** A stack parameter: the nested-stack resource's value, else the template's default. */
  private parameter(stack: Stack, name: string): Json | typeof NO_VALUE {
    if (stack.parent && name in stack.parameterValues) {
      const logicalId = stack.path[stack.path.length - 1] as string;
      const resource = stack.parent.template.Resources?.[logicalId];
      const params = (resource?.Properties?.['Parameters'] ?? {}) as JsonObject;
      return this.memo(`${stack.parent.name}|param|${logicalId}|${name}`, () =>
        this.evaluate(stack.parent as Stack, params[name] ?? null),
      );
    }
    const definition = stack.template.Parameters?.[name];
    if (definition) return definition.Default ?? '';
    throw new AssemblyError(`Unknown parameter or resource ${name} in ${stack.name}`);
  }

  private memo(key: string, compute: () => Json | typeof NO_VALUE): Json | typeof NO_VALUE {
    if (this.cache.has(key)) return this.cache.get(key) as Json;
    if (this.resolving.has(key)) throw new AssemblyError(`Circular reference through ${key}`);
    this.resolving.add(key);
    try {
      const value = compute();
      this.cache.set(key, value);
      return value;
    } finally {
      this.resolving.delete(key);
    }
  }

  ref(stack: Stack, name: string): Json | typeof NO_VALUE {
    switch (name) {
      case 'AWS::Region':
        return this.naming.region;
      case 'AWS::AccountId':
        return this.naming.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.name;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.naming.region}:${this.naming.accountId}:stack/${stack.name}/${deterministicId(stack.name, 8)}`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
      default:
        break;
    }
    const resource = stack.template.Resources?.[name];
    if (!resource) return this.parameter(stack, name);
    return this.memo(`${stack.name}|ref|${name}`, () => this.physicalRef(stack, name, resource));
  }

  getAtt(stack: Stack, logicalId: string, attribute: string): Json {
    const resource = stack.template.Resources?.[logicalId];
    if (!resource)
      throw new AssemblyError(`GetAtt of unknown resource ${logicalId} in ${stack.name}`);
    const value = this.memo(`${stack.name}|att|${logicalId}|${attribute}`, () =>
      this.physicalAtt(stack, logicalId, resource, attribute),
    );
    return value === NO_VALUE ? null : value;
  }

  /** A resource's own property, resolved (for names given in the template). */
  property(stack: Stack, resource: CfnResource, key: string): Json | undefined {
    const raw = resource.Properties?.[key];
    return raw === undefined ? undefined : this.resolve(stack, raw);
  }

  private arn(service: string, resource: string, region = this.naming.region): string {
    return `arn:aws:${service}:${region}:${this.naming.accountId}:${resource}`;
  }

  /** A short deterministic name in the style CloudFormation gives unnamed resources. */
  generatedName(stack: Stack, logicalId: string, maxLength = 64): string {
    const hash = deterministicId(`${stack.name}/${logicalId}`, 12).toUpperCase();
    const prefix = `${logicalId}`.slice(0, Math.max(1, maxLength - hash.length - 1));
    return `${prefix}-${hash}`;
  }

  /** Physical id of a resource (what Ref returns), by type. */
  private physicalRef(stack: Stack, logicalId: string, resource: CfnResource): Json {
    const named = (key: string): string | undefined => {
      const v = this.property(stack, resource, key);
      return typeof v === 'string' && v.length > 0 ? v : undefined;
    };
    const seed = `${stack.name}/${logicalId}`;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return named('TableName') ?? this.generatedName(stack, logicalId);
      case 'Custom::AmplifyDynamoDBTable':
        return named('tableName') ?? this.generatedName(stack, logicalId);
      case 'AWS::S3::Bucket':
        return (
          named('BucketName') ??
          `${logicalId
            .toLowerCase()
            .replace(/[^a-z0-9]/g, '')
            .slice(0, 40)}-${deterministicId(seed, 12)}`
        );
      case 'AWS::Lambda::Function':
        return named('FunctionName') ?? this.generatedName(stack, logicalId);
      case 'AWS::SQS::Queue': {
        const name = this.queueName(stack, logicalId, resource);
        return `${this.naming.sqsEndpoint}/${this.naming.accountId}/${name}`;
      }
      case 'AWS::SNS::Topic':
        return this.arn('sns', named('TopicName') ?? this.generatedName(stack, logicalId, 256));
      case 'AWS::StepFunctions::StateMachine':
        return this.arn(
          'states',
          `stateMachine:${named('StateMachineName') ?? this.generatedName(stack, logicalId, 80)}`,
        );
      case 'AWS::AppSync::GraphQLApi':
        return this.arn('appsync', `apis/${deterministicId(seed, 26)}`);
      case 'AWS::AppSync::ApiKey':
        return this.arn('appsync', `apis/${deterministicId(seed, 26)}/apikeys/${logicalId}`);
      case 'AWS::Cognito::UserPool':
        return `${this.naming.region}_${deterministicId(seed, 9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
      case 'AWS::Cognito::UserPoolClient':
        return deterministicId(seed, 26);
      case 'AWS::Cognito::IdentityPool': {
        const h = shortHash(seed);
        return `${this.naming.region}:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      }
      case 'AWS::Cognito::UserPoolGroup':
        return named('GroupName') ?? logicalId;
      case 'AWS::IAM::Role':
        return named('RoleName') ?? this.generatedName(stack, logicalId);
      case 'AWS::SSM::Parameter':
        return named('Name') ?? this.generatedName(stack, logicalId);
      case 'AWS::Logs::LogGroup':
        return named('LogGroupName') ?? this.generatedName(stack, logicalId);
      case 'AWS::AppSync::DataSource':
        return this.arn('appsync', `apis/x/datasources/${named('Name') ?? logicalId}`);
      case 'AWS::CloudFormation::Stack':
        return this.arn(
          'cloudformation',
          `stack/${stack.name}-${logicalId}/${deterministicId(seed, 8)}`,
        );
      default:
        return this.generatedName(stack, logicalId);
    }
  }

  queueName(stack: Stack, logicalId: string, resource: CfnResource): string {
    const given = this.property(stack, resource, 'QueueName');
    if (typeof given === 'string' && given) return given;
    const fifo = this.property(stack, resource, 'FifoQueue') === true;
    return this.generatedName(stack, logicalId, fifo ? 75 : 80) + (fifo ? '.fifo' : '');
  }

  private physicalAtt(
    stack: Stack,
    logicalId: string,
    resource: CfnResource,
    attribute: string,
  ): Json | typeof NO_VALUE {
    const ref = (): string => this.stringify(this.ref(stack, logicalId) as Json);
    const seed = `${stack.name}/${logicalId}`;
    if (resource.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
      const child = stack.children.get(logicalId);
      const outputName = attribute.slice('Outputs.'.length);
      const output = child?.template.Outputs?.[outputName];
      if (!child || !output) throw new AssemblyError(`No output ${outputName} in ${logicalId}`);
      return this.resolve(child, output.Value);
    }
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::DynamoDB::Table.Arn':
      case 'Custom::AmplifyDynamoDBTable.TableArn':
        return this.arn('dynamodb', `table/${ref()}`);
      case 'AWS::DynamoDB::Table.StreamArn':
      case 'Custom::AmplifyDynamoDBTable.TableStreamArn':
        return this.arn('dynamodb', `table/${ref()}/stream/1970-01-01T00:00:00.000`);
      case 'Custom::AmplifyDynamoDBTable.TableName':
        return ref();
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${ref()}`;
      case 'AWS::S3::Bucket.DomainName':
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${ref()}.s3.${this.naming.region}.amazonaws.com`;
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${ref()}`);
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', this.queueName(stack, logicalId, resource));
      case 'AWS::SQS::Queue.QueueName':
        return this.queueName(stack, logicalId, resource);
      case 'AWS::SQS::Queue.QueueUrl':
        return ref();
      case 'AWS::SNS::Topic.TopicArn':
        return ref();
      case 'AWS::SNS::Topic.TopicName':
        return ref().split(':').pop() ?? '';
      case 'AWS::StepFunctions::StateMachine.Arn':
        return ref();
      case 'AWS::StepFunctions::StateMachine.Name':
        return ref().split(':').pop() ?? '';
      case 'AWS::AppSync::GraphQLApi.ApiId':
        return deterministicId(seed, 26);
      case 'AWS::AppSync::GraphQLApi.Arn':
        return ref();
      case 'AWS::AppSync::GraphQLApi.GraphQLUrl':
        return this.naming.graphqlUrl;
      case 'AWS::AppSync::GraphQLApi.GraphQLDns':
        return new URL(this.naming.graphqlUrl).host;
      case 'AWS::AppSync::GraphQLApi.RealtimeUrl':
        return this.naming.graphqlUrl.replace(/^http/, 'ws') + '/realtime';
      case 'AWS::AppSync::ApiKey.ApiKey':
        return `da2-${deterministicId(seed, 26)}`;
      case 'AWS::AppSync::ApiKey.Arn':
        return ref();
      case 'AWS::AppSync::DataSource.Name':
        return this.stringify(this.property(stack, resource, 'Name') ?? logicalId);
      case 'AWS::AppSync::DataSource.DataSourceArn':
        return ref();
      case 'AWS::AppSync::FunctionConfiguration.FunctionId':
        return `${logicalId}`;
      case 'AWS::Cognito::UserPool.Arn':
        return this.arn('cognito-idp', `userpool/${ref()}`);
      case 'AWS::Cognito::UserPool.ProviderName':
        return `cognito-idp.${this.naming.region}.amazonaws.com/${ref()}`;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${this.naming.accountId}:role/${ref()}`;
      case 'AWS::IAM::Role.RoleId':
        return `AROA${deterministicId(seed, 17).toUpperCase()}`;
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${ref()}:*`);
      case 'Custom::CDKBucketDeployment.DestinationBucketArn':
        return `arn:aws:s3:::${this.stringify(this.property(stack, resource, 'DestinationBucketName') ?? '')}`;
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return (
          this.naming.httpApiUrl ??
          `https://${deterministicId(seed, 10)}.execute-api.${this.naming.region}.amazonaws.com`
        );
      case 'AWS::ApiGatewayV2::Api.ApiId':
        return deterministicId(seed, 10);
      case 'AWS::SSM::Parameter.Value':
        return this.property(stack, resource, 'Value') ?? null;
      default:
        // Attributes nothing local reads (custom-resource outputs, role ids...): stable placeholders.
        return `${logicalId}.${attribute}`;
    }
  }
}
