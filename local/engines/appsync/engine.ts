import type { DocumentTables } from '../dynamodb/in-process';
import {
  GraphQLError,
  Kind,
  execute,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import {
  AppSyncRequestError,
  AppSyncResolverError,
  formatError,
  formatSyntaxError,
  formatValidationError,
  unauthorized,
  type AppSyncErrorJson,
} from './errors';
import { matchesFilter, type FilterInput } from './filters';
import { documentLimitProblem, MAX_DOCUMENT_TOKENS, TOKEN_LIMIT_MESSAGE } from './limits';
import { groupsOf, type Authenticator, type Caller } from './identity';
import { decide, ownerForDisplay, ownsRecord, readModels, type ModelInfo } from './models';
import { ModelResolvers, type RequestContext } from './resolvers';
import { buildAppSyncSchema, mayAccess, type AppSyncSchema, type AuthMode } from './schema';
import {
  project,
  selectionSetGraphQL,
  selectionSetList,
  unalias,
  type Fragments,
} from './selection';

/** Runs a backend function the way AppSync's Lambda data source does; throws what the function threw. */
export type InvokeFunction = (
  functionName: string,
  event: Record<string, unknown>,
) => Promise<unknown>;

/** The engine's inputs that do not concern networking. */
export interface EngineOptions {
  schemaSdl: string;
  modelIntrospection: { models?: Record<string, unknown> };
  tableNameFor: (modelName: string) => string;
  ddb: DocumentTables;
  authenticator: Authenticator;
  defaultAuthMode: AuthMode;
  invokeFunction?: InvokeFunction;
  /** `Query.receiptUrl` / `Mutation.placeOrder` -> function name. */
  customOperations: Record<string, string>;
}

/** A parsed, validated document, cached by its text. */
interface PreparedDocument {
  document: DocumentNode;
  fragments: Fragments;
  operations: OperationDefinitionNode[];
}

/** The JSON body of a GraphQL response. */
export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: AppSyncErrorJson[];
}

type RootResolver = (
  args: Record<string, unknown>,
  ctx: RequestContext,
  info: GraphQLResolveInfo,
) => Promise<unknown>;

/** One live subscription of one realtime connection. */
export interface Subscription {
  id: string;
  field: string;
  responseKey: string;
  fieldNode: FieldNode;
  fragments: Fragments;
  typeName: string;
  args: Record<string, unknown>;
  /** Null when the caller sees every record; otherwise the records this caller may receive. */
  allows: (record: Record<string, unknown>) => boolean;
  send: (payload: { data: Record<string, unknown> }) => void;
}

const CACHE_LIMIT = 500;

/** The GraphQL side of the local AppSync: schema, resolvers, auth rules and subscription fan-out. */
export class AppSyncEngine {
  readonly app: AppSyncSchema;
  readonly models: Map<string, ModelInfo>;
  private readonly modelByType = new Map<string, ModelInfo>();
  private readonly roots = new Map<string, RootResolver>();
  private readonly modelResolvers: ModelResolvers;
  private readonly cache = new Map<string, PreparedDocument | AppSyncErrorJson[]>();
  private readonly subscriptions = new Map<string, Set<Subscription>>();

  constructor(private readonly options: EngineOptions) {
    this.app = buildAppSyncSchema(options.schemaSdl, options.defaultAuthMode);
    this.models = readModels(options.modelIntrospection as never, options.tableNameFor);
    this.modelResolvers = new ModelResolvers(options.ddb);
    this.wireResolvers();
  }

  private wireResolvers(): void {
    const r = this.modelResolvers;
    for (const model of this.models.values()) {
      this.modelByType.set(model.name, model);
      this.roots.set(`Query.get${model.name}`, (a, c, i) => r.get(model, a, c, i));
      this.roots.set(`Query.list${model.pluralName}`, (a, c, i) => r.list(model, a, c, i));
      for (const index of model.indexes) {
        this.roots.set(`Query.${index.queryField}`, (a, c, i) => r.list(model, a, c, i, index));
      }
      this.roots.set(`Mutation.create${model.name}`, (a, c, i) => r.create(model, a, c, i));
      this.roots.set(`Mutation.update${model.name}`, (a, c, i) => r.update(model, a, c, i));
      this.roots.set(`Mutation.delete${model.name}`, (a, c, i) => r.delete(model, a, c, i));
    }
    for (const [operation, functionName] of Object.entries(this.options.customOperations)) {
      this.roots.set(operation, (a, c, i) => this.invoke(functionName, a, c, i));
    }
  }

  /** Number of live subscriptions (for readiness checks and tests). */
  subscriptionCount(): number {
    let n = 0;
    for (const set of this.subscriptions.values()) n += set.size;
    return n;
  }

  /**
   * Parses and validates once per distinct query text. A document over the parser's limits
   * (size, tokens, nesting) throws a 400 AppSyncRequestError and is never parsed.
   */
  prepare(query: string): PreparedDocument | AppSyncErrorJson[] {
    const cached = this.cache.get(query);
    if (cached) return cached;
    const tooBig = documentLimitProblem(query);
    if (tooBig) throw new AppSyncRequestError(400, 'BadRequestException', tooBig.message);
    let prepared: PreparedDocument | AppSyncErrorJson[];
    try {
      const document = parse(query, { maxTokens: MAX_DOCUMENT_TOKENS });
      const errors = validate(this.app.schema, document);
      if (errors.length > 0) {
        prepared = errors.map(formatValidationError);
      } else {
        const fragments: Fragments = {};
        const operations: OperationDefinitionNode[] = [];
        for (const d of document.definitions) {
          if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
        }
        prepared = { document, fragments, operations };
      }
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      if (/contains more th(?:at|an) \d+ tokens/.test(error.message)) {
        throw new AppSyncRequestError(400, 'BadRequestException', TOKEN_LIMIT_MESSAGE);
      }
      prepared = [formatSyntaxError(error)];
    }
    if (this.cache.size >= CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(query, prepared);
    return prepared;
  }

  /** Executes a query or mutation for an authenticated caller, then fans mutations out to subscribers. */
  async execute(
    caller: Caller,
    body: {
      query: string;
      variables?: Record<string, unknown> | null;
      operationName?: string | null;
    },
    headers: Record<string, string>,
  ): Promise<GraphQLResponseBody> {
    const prepared = this.prepare(body.query);
    if (Array.isArray(prepared)) return { data: null, errors: prepared };
    const operation = body.operationName
      ? prepared.operations.find((o) => o.name?.value === body.operationName)
      : prepared.operations[0];
    if (operation?.operation === 'subscription') {
      return {
        data: null,
        errors: [
          {
            path: null,
            data: null,
            errorType: 'UnsupportedOperation',
            errorInfo: null,
            locations: null,
            message:
              'Subscriptions are served over the realtime WebSocket endpoint, not over HTTP.',
          },
        ],
      };
    }
    const ctx: RequestContext = {
      caller,
      headers,
      variables: body.variables ?? {},
      publications: [],
    };
    const result = await execute({
      schema: this.app.schema,
      document: prepared.document,
      variableValues: body.variables ?? undefined,
      operationName: body.operationName ?? undefined,
      contextValue: ctx,
      fieldResolver: this.fieldResolver,
    });
    const data = (result.data ?? null) as Record<string, unknown> | null;
    if (data && ctx.publications.length > 0) this.fanOut(ctx, data, prepared.fragments);
    const out: GraphQLResponseBody = { data };
    if (result.errors && result.errors.length > 0) {
      out.errors = result.errors.map((e) => (e.path ? formatError(e) : formatVariableError(e)));
    }
    return out;
  }

  private readonly fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (
    source,
    args,
    ctx,
    info,
  ) => {
    const type = info.parentType;
    if (!mayAccess(this.app, type, info.fieldName, ctx.caller.mode, groupsOf(ctx.caller))) {
      throw unauthorized(info.fieldName, type.name);
    }
    const root = this.roots.get(`${type.name}.${info.fieldName}`);
    if (root) return root(args, ctx, info);
    if (source === null || typeof source !== 'object') return null;
    const value = (source as Record<string, unknown>)[info.fieldName];
    const model = this.modelByType.get(type.name);
    if (model && model.ownerFields.includes(info.fieldName)) return ownerForDisplay(value);
    return value;
  };

  private async invoke(
    functionName: string,
    args: Record<string, unknown>,
    ctx: RequestContext,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    const invokeFunction = this.options.invokeFunction;
    if (!invokeFunction) {
      throw new AppSyncResolverError(
        `No local function is wired for ${functionName}`,
        'Lambda:Unhandled',
      );
    }
    const fieldNode = info.fieldNodes[0];
    const fragments = info.fragments as Fragments;
    const event = {
      typeName: info.parentType.name,
      fieldName: info.fieldName,
      arguments: JSON.parse(JSON.stringify(args)) as unknown,
      identity: this.options.authenticator.identityOf(ctx.caller),
      source: null,
      request: { headers: ctx.headers, domainName: null },
      prev: { result: {} },
      stash: {},
      info: {
        fieldName: info.fieldName,
        parentTypeName: info.parentType.name,
        variables: ctx.variables,
        selectionSetList: selectionSetList(fieldNode?.selectionSet, fragments),
        selectionSetGraphQL: selectionSetGraphQL(fieldNode?.selectionSet),
      },
    };
    let result: unknown;
    try {
      result = await invokeFunction(functionName, event);
    } catch (error) {
      const e = error as {
        errorType?: unknown;
        name?: unknown;
        message?: unknown;
        errorMessage?: unknown;
      };
      const errorType =
        typeof e.errorType === 'string'
          ? e.errorType
          : typeof e.name === 'string'
            ? e.name
            : 'Lambda:Unhandled';
      const message =
        typeof e.message === 'string'
          ? e.message
          : typeof e.errorMessage === 'string'
            ? e.errorMessage
            : String(error);
      throw new AppSyncResolverError(message, errorType, null, { cause: error });
    }
    if (
      info.parentType.name === info.schema.getMutationType()?.name &&
      fieldNode &&
      result &&
      typeof result === 'object'
    ) {
      ctx.publications.push({
        mutationField: info.fieldName,
        responseKey: String(info.path.key),
        fieldNode,
        record: result as Record<string, unknown>,
      });
    }
    return result;
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Registers a subscription after checking the caller may listen; returns the error AppSync would
   * send instead of `start_ack` when it may not.
   */
  subscribe(
    caller: Caller,
    request: {
      query: string;
      variables?: Record<string, unknown> | null;
      operationName?: string | null;
    },
    id: string,
    send: Subscription['send'],
  ): { ok: true; unsubscribe: () => void } | { ok: false; errors: AppSyncErrorJson[] } {
    let prepared: PreparedDocument | AppSyncErrorJson[];
    try {
      prepared = this.prepare(request.query);
    } catch (error) {
      if (!(error instanceof AppSyncRequestError)) throw error;
      return { ok: false, errors: [plainError(error.errorType, error.message)] };
    }
    if (Array.isArray(prepared)) return { ok: false, errors: prepared };
    const operation = request.operationName
      ? prepared.operations.find((o) => o.name?.value === request.operationName)
      : prepared.operations[0];
    const subscriptionType = this.app.schema.getSubscriptionType();
    if (!operation || operation.operation !== 'subscription' || !subscriptionType) {
      return {
        ok: false,
        errors: [
          plainError('BadRequestException', 'Only subscription operations can be started here.'),
        ],
      };
    }
    const fieldNodes = operation.selectionSet.selections.filter(
      (s): s is FieldNode => s.kind === Kind.FIELD,
    );
    const fieldNode = fieldNodes[0];
    if (!fieldNode || fieldNodes.length !== 1 || operation.selectionSet.selections.length !== 1) {
      return {
        ok: false,
        errors: [
          plainError('BadRequestException', 'A subscription must select exactly one field.'),
        ],
      };
    }
    const field = subscriptionType.getFields()[fieldNode.name.value];
    if (!field)
      return {
        ok: false,
        errors: [plainError('BadRequestException', 'Unknown subscription field.')],
      };
    const denied = () => ({
      ok: false as const,
      errors: [
        {
          ...plainError(
            'Unauthorized',
            `Not Authorized to access ${field.name} on type ${subscriptionType.name}`,
          ),
          path: [fieldNode.alias?.value ?? field.name],
        },
      ],
    });
    if (!mayAccess(this.app, subscriptionType, field, caller.mode, groupsOf(caller)))
      return denied();
    const coerced = getVariableValues(
      this.app.schema,
      operation.variableDefinitions ?? [],
      request.variables ?? {},
    );
    if (coerced.errors) return { ok: false, errors: coerced.errors.map(formatVariableError) };
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, fieldNode, coerced.coerced);
    } catch (error) {
      return { ok: false, errors: [plainError('BadRequestException', (error as Error).message)] };
    }
    const typeName = getNamedType(field.type).name;
    const model = this.modelByType.get(typeName);
    let allows: (record: Record<string, unknown>) => boolean = () => true;
    if (model) {
      const access = decide(model, 'listen', caller);
      if (!access.allowed) return denied();
      if (access.ownerOnly) {
        const ownerArgs = access.ownerFields.filter(
          (f) => args[f] !== undefined && args[f] !== null,
        );
        if (ownerArgs.some((f) => !access.entities.includes(String(args[f])))) return denied();
        allows = (record) => ownsRecord(record, access.ownerFields, access.entities);
      }
    }
    const sub: Subscription = {
      id,
      field: field.name,
      responseKey: fieldNode.alias?.value ?? field.name,
      fieldNode,
      fragments: prepared.fragments,
      typeName,
      args,
      allows,
      send,
    };
    const set = this.subscriptions.get(field.name) ?? new Set<Subscription>();
    set.add(sub);
    this.subscriptions.set(field.name, set);
    return { ok: true, unsubscribe: () => set.delete(sub) };
  }

  private fanOut(ctx: RequestContext, data: Record<string, unknown>, fragments: Fragments): void {
    for (const publication of ctx.publications) {
      const listeners = this.app.subscribersOf.get(publication.mutationField);
      if (!listeners) continue;
      const response = data[publication.responseKey];
      if (response === null || response === undefined) continue;
      const payload = unalias(publication.fieldNode.selectionSet, response, fragments) as Record<
        string,
        unknown
      >;
      const model = publication.model;
      const view: Record<string, unknown> = { ...publication.record };
      if (model) for (const f of model.ownerFields) view[f] = ownerForDisplay(view[f]);
      for (const field of listeners) {
        for (const sub of this.subscriptions.get(field) ?? []) {
          if (!sub.allows(publication.record)) continue;
          if (!argumentsMatch(sub.args, view, model)) continue;
          const projected = project(
            sub.fieldNode.selectionSet,
            payload,
            sub.fragments,
            sub.typeName,
          );
          try {
            sub.send({ data: { [sub.responseKey]: projected } });
          } catch {
            // A closed socket must not stop delivery to the others.
          }
        }
      }
    }
  }
}

function argumentsMatch(
  args: Record<string, unknown>,
  record: Record<string, unknown>,
  model?: ModelInfo,
): boolean {
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    if (name === 'filter') {
      if (!matchesFilter(value as FilterInput, record)) return false;
    } else if (model && model.ownerFields.includes(name)) {
      // Owner arguments were checked against the caller already; the record's owner is checked by `allows`.
      continue;
    } else if (record[name] !== value) {
      return false;
    }
  }
  return true;
}

function plainError(errorType: string, message: string): AppSyncErrorJson {
  return { path: null, data: null, errorType, errorInfo: null, locations: null, message };
}

function formatVariableError(error: GraphQLError): AppSyncErrorJson {
  return {
    path: null,
    data: null,
    errorType: 'ValidationError',
    errorInfo: null,
    locations:
      error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null,
    message: `Validation error of type WrongType: ${error.message}`,
  };
}
