import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  buildASTSchema,
  isObjectType,
  parse,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/** The ways a request can be authorized, as AppSync names them in directives. */
export type AuthMode = 'apiKey' | 'userPool' | 'iam';

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'apiKey',
  aws_cognito_user_pools: 'userPool',
  aws_iam: 'iam',
};

/** Which auth modes may touch a type or field, and (for user pools) which groups, if restricted. */
export interface AccessRule {
  modes: Set<AuthMode>;
  cognitoGroups?: string[];
}

// AppSync defines these itself; the transformed SDL in cdk.out uses them without declaring them.
const APPSYNC_PRELUDE = `
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSURL
scalar AWSPhone
scalar AWSIPAddress
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
`;

const DATE = '\\d{4}-\\d{2}-\\d{2}';
const TIME = '\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?';
const OFFSET = '(?:Z|[+-]\\d{2}(?::?\\d{2}(?::\\d{2})?)?)';
const DATETIME_RE = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const DATE_RE = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_RE = new RegExp(`^${TIME}${OFFSET}?$`);
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^\+?[\d\s().-]{3,}$/;
const IPV4_RE = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const IPV6_RE = /^[0-9a-fA-F:]+(\/\d{1,3})?$/;

function stringScalar(name: string, valid: (s: string) => boolean, description: string) {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(
        `Can't serialize value: ${description} expected, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING)
        throw new GraphQLError(`${description} must be a string`, { nodes: ast });
      return check(ast.value);
    },
  });
}

const isUrl = (s: string): boolean => {
  try {
    return Boolean(new URL(s).protocol);
  } catch {
    return false;
  }
};

const parseJsonValue = (value: unknown): unknown => {
  if (typeof value !== 'string') throw new GraphQLError('AWSJSON must be a JSON string');
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new GraphQLError(`Unable to parse ${JSON.stringify(value)} as valid JSON.`);
  }
};

/** AppSync's scalars with AppSync's validation rules. */
export const APPSYNC_SCALARS: Record<string, GraphQLScalarType> = {
  AWSDateTime: stringScalar(
    'AWSDateTime',
    (s) => DATETIME_RE.test(s) && !Number.isNaN(Date.parse(s)),
    'AWSDateTime',
  ),
  AWSDate: stringScalar('AWSDate', (s) => DATE_RE.test(s), 'AWSDate'),
  AWSTime: stringScalar('AWSTime', (s) => TIME_RE.test(s), 'AWSTime'),
  AWSEmail: stringScalar('AWSEmail', (s) => EMAIL_RE.test(s), 'AWSEmail'),
  AWSURL: stringScalar('AWSURL', isUrl, 'AWSURL'),
  AWSPhone: stringScalar('AWSPhone', (s) => PHONE_RE.test(s), 'AWSPhone'),
  AWSIPAddress: stringScalar(
    'AWSIPAddress',
    (s) => IPV4_RE.test(s) || IPV6_RE.test(s),
    'AWSIPAddress',
  ),
  AWSTimestamp: new GraphQLScalarType({
    name: 'AWSTimestamp',
    serialize: (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new GraphQLError('AWSTimestamp must be an integer');
      return v;
    },
    parseValue: (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new GraphQLError('AWSTimestamp must be an integer');
      return v;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.INT)
        throw new GraphQLError('AWSTimestamp must be an integer', { nodes: ast });
      return Number(ast.value);
    },
  }),
  AWSJSON: new GraphQLScalarType({
    name: 'AWSJSON',
    serialize: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
    parseValue: parseJsonValue,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING)
        throw new GraphQLError('AWSJSON must be a JSON string', { nodes: ast });
      return parseJsonValue(ast.value);
    },
  }),
};

/** The executable schema plus what AppSync reads from its directives. */
export interface AppSyncSchema {
  schema: GraphQLSchema;
  /** `Type.field` or `Type` -> who may access it. */
  access: Map<string, AccessRule>;
  /** Mutation field -> subscription fields that listen to it (@aws_subscribe). */
  subscribersOf: Map<string, string[]>;
  defaultMode: AuthMode;
}

function accessFromDirectives(
  directives: readonly ConstDirectiveNode[] | undefined,
): AccessRule | undefined {
  const modes = new Set<AuthMode>();
  let cognitoGroups: string[] | undefined;
  for (const d of directives ?? []) {
    const mode = DIRECTIVE_MODES[d.name.value];
    if (!mode) continue;
    modes.add(mode);
    const groupsArg = d.arguments?.find((a) => a.name.value === 'cognito_groups');
    if (groupsArg && groupsArg.value.kind === Kind.LIST) {
      cognitoGroups = groupsArg.value.values.flatMap((v) =>
        v.kind === Kind.STRING ? [v.value] : [],
      );
    }
  }
  return modes.size > 0 ? { modes, cognitoGroups } : undefined;
}

/** Builds the executable schema from the transformed SDL that the Amplify transformer wrote to cdk.out. */
export function buildAppSyncSchema(sdl: string, defaultMode: AuthMode): AppSyncSchema {
  const document = parse(APPSYNC_PRELUDE + sdl);
  const schema = buildASTSchema(document, { assumeValidSDL: false });
  for (const [name, scalar] of Object.entries(APPSYNC_SCALARS)) {
    const target = schema.getType(name);
    if (target instanceof GraphQLScalarType) {
      target.serialize = scalar.serialize;
      target.parseValue = scalar.parseValue;
      target.parseLiteral = scalar.parseLiteral;
    }
  }
  const access = new Map<string, AccessRule>();
  const subscribersOf = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = accessFromDirectives(type.astNode?.directives);
    if (typeRule) access.set(type.name, typeRule);
    for (const field of Object.values(type.getFields())) {
      const fieldRule = accessFromDirectives(field.astNode?.directives);
      if (fieldRule) access.set(`${type.name}.${field.name}`, fieldRule);
      const subscribe = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
      const mutationsArg = subscribe?.arguments?.find((a) => a.name.value === 'mutations');
      if (mutationsArg && mutationsArg.value.kind === Kind.LIST) {
        for (const v of mutationsArg.value.values) {
          if (v.kind !== Kind.STRING) continue;
          subscribersOf.set(v.value, [...(subscribersOf.get(v.value) ?? []), field.name]);
        }
      }
    }
  }
  return { schema, access, subscribersOf, defaultMode };
}

/** Whether the auth mode (and user-pool groups) may access `field` of `type`, by AppSync's directive rules. */
export function mayAccess(
  app: AppSyncSchema,
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown> | string,
  mode: AuthMode,
  groups: readonly string[],
): boolean {
  const fieldName = typeof field === 'string' ? field : field.name;
  const rule = app.access.get(`${type.name}.${fieldName}`) ?? app.access.get(type.name);
  if (!rule) return mode === app.defaultMode;
  if (!rule.modes.has(mode)) return false;
  if (mode === 'userPool' && rule.cognitoGroups && rule.cognitoGroups.length > 0) {
    return rule.cognitoGroups.some((g) => groups.includes(g));
  }
  return true;
}
