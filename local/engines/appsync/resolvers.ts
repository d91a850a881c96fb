import { randomUUID } from 'node:crypto';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { DocumentOperations, DocumentTables } from '../dynamodb/in-process';
import { AppSyncResolverError, unauthorized } from './errors';
import { ExpressionBuilder, type FilterInput } from './filters';
import type { Caller } from './identity';
import { decide, ownerFilter, ownsRecord, type ModelIndex, type ModelInfo } from './models';

type Item = Record<string, unknown>;

/** A mutation's stored record, kept until the response is known so subscribers get what it selected. */
export interface Publication {
  mutationField: string;
  responseKey: string;
  fieldNode: FieldNode;
  record: Item;
  model?: ModelInfo;
}

/** Everything a resolver knows about the request it serves. */
export interface RequestContext {
  caller: Caller;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
  publications: Publication[];
}

type Args = Record<string, unknown>;

const MAX_LIMIT = 1000;

function dynamoError(error: unknown): AppSyncResolverError {
  const name = error instanceof Error ? error.name : 'InternalFailure';
  const requestId =
    (error as { $metadata?: { requestId?: string } }).$metadata?.requestId ?? randomUUID();
  if (name === 'ConditionalCheckFailedException') {
    return new AppSyncResolverError(
      `The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: ${requestId})`,
      'DynamoDB:ConditionalCheckFailedException',
      null,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppSyncResolverError(
    `${message} (Service: DynamoDb, Status Code: 400, Request ID: ${requestId})`,
    `DynamoDB:${name}`,
    null,
    { cause: error },
  );
}

const encodeToken = (key: Item | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;

function decodeToken(token: unknown): Item | undefined {
  if (token === null || token === undefined || token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Item;
  } catch {
    // fall through to the error below
  }
  throw new AppSyncResolverError(
    'Invalid nextToken: it was not issued by this API.',
    'InvalidNextTokenException',
  );
}

function limitOf(args: Args): number {
  const limit = args['limit'] ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppSyncResolverError(
      `limit must be between 1 and ${MAX_LIMIT}`,
      'InvalidArgumentsError',
    );
  }
  return limit;
}

function sortKeyCondition(b: ExpressionBuilder, field: string, cond: unknown): string | undefined {
  if (!cond || typeof cond !== 'object') return undefined;
  const n = b.name(field);
  const c = cond as Record<string, unknown>;
  const parts: string[] = [];
  const ops: Record<string, string> = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };
  for (const [op, arg] of Object.entries(c)) {
    if (arg === undefined || arg === null) continue;
    if (ops[op]) parts.push(`${n} ${ops[op]} ${b.value(arg)}`);
    else if (op === 'beginsWith') parts.push(`begins_with(${n}, ${b.value(arg)})`);
    else if (op === 'between' && Array.isArray(arg) && arg.length === 2) {
      parts.push(`${n} BETWEEN ${b.value(arg[0])} AND ${b.value(arg[1])}`);
    } else
      throw new AppSyncResolverError(
        `Unsupported key condition ${op} on ${field}`,
        'InvalidArgumentsError',
      );
  }
  if (parts.length > 1) {
    throw new AppSyncResolverError(
      `Only one key condition may be given for ${field}`,
      'InvalidArgumentsError',
    );
  }
  return parts[0];
}

/** The model resolvers: Amplify's generated VTL semantics, written against DynamoDB directly. */
/** A write's condition: the record exists, and the caller's own `condition` holds. */
function existingAnd(b: ExpressionBuilder, model: ModelInfo, args: Args): string {
  const conditions = [`attribute_exists(${b.name(model.keyFields[0] ?? 'id')})`];
  const user = b.compile(args['condition'] as FilterInput | undefined);
  if (user) conditions.push(user);
  return conditions.join(' AND ');
}

export class ModelResolvers {
  constructor(private readonly ddb: DocumentTables) {}

  private keyOf(model: ModelInfo, source: Args): Item {
    const key: Item = {};
    for (const field of model.keyFields) {
      const value = source[field];
      if (value === undefined || value === null) {
        throw new AppSyncResolverError(
          `The key field ${field} is required`,
          'InvalidArgumentsError',
        );
      }
      key[field] = value;
    }
    return key;
  }

  /** `getX(id)`: owner-only callers get Unauthorized for records they do not own. */
  async get(
    model: ModelInfo,
    args: Args,
    ctx: RequestContext,
    info: GraphQLResolveInfo,
  ): Promise<Item | null> {
    const access = decide(model, 'get', ctx.caller);
    if (!access.allowed) throw unauthorized(info.fieldName, info.parentType.name);
    let item: Item | undefined;
    try {
      ({ Item: item } = await this.ddb.send('GetItem', {
        TableName: model.tableName,
        Key: this.keyOf(model, args),
        ConsistentRead: true,
      }));
    } catch (error) {
      throw dynamoError(error);
    }
    if (!item) return null;
    if (access.ownerOnly && !ownsRecord(item, access.ownerFields, access.entities)) {
      throw unauthorized(info.fieldName, info.parentType.name);
    }
    return item;
  }

  /** `listX` and the secondary-index query fields: Scan or Query, filter, limit, nextToken, sortDirection. */
  async list(
    model: ModelInfo,
    args: Args,
    ctx: RequestContext,
    info: GraphQLResolveInfo,
    index?: ModelIndex,
  ): Promise<{ items: Item[]; nextToken: string | null }> {
    const access = decide(model, 'list', ctx.caller);
    if (!access.allowed) throw unauthorized(info.fieldName, info.parentType.name);
    let authFilter: FilterInput | undefined;
    if (access.ownerOnly) {
      if (index && access.ownerFields.includes(index.partitionKey)) {
        // Querying the owner index for someone else is refused outright, as the generated resolver does.
        if (!access.entities.includes(String(args[index.partitionKey]))) {
          throw unauthorized(info.fieldName, info.parentType.name);
        }
      } else {
        authFilter = ownerFilter(access.ownerFields, access.entities);
      }
    }
    const userFilter = args['filter'] as FilterInput | null | undefined;
    const filter =
      authFilter && userFilter ? { and: [authFilter, userFilter] } : (authFilter ?? userFilter);
    const b = new ExpressionBuilder();
    const limit = limitOf(args);
    const start = decodeToken(args['nextToken']);
    const sortDirection = args['sortDirection'];
    const partitionKey = index ? index.partitionKey : model.keyFields[0];
    const sortKeys = index ? index.sortKeys : model.keyFields.slice(1);
    const partitionValue = partitionKey ? args[partitionKey] : undefined;
    if (index && sortDirection && sortKeys.length === 0) {
      throw new AppSyncResolverError(
        'sortDirection is not supported for List operations without a Sort key defined.',
        'InvalidArgumentsError',
      );
    }
    if (sortKeys.length > 1) {
      throw new AppSyncResolverError(
        'Composite sort keys are not supported by the local engine.',
        'InvalidArgumentsError',
      );
    }
    try {
      if (partitionKey && partitionValue !== undefined && partitionValue !== null) {
        const keyParts = [`${b.name(partitionKey)} = ${b.value(partitionValue)}`];
        const sk = sortKeys[0] ? sortKeyCondition(b, sortKeys[0], args[sortKeys[0]]) : undefined;
        if (sk) keyParts.push(sk);
        const filterExpression = b.compile(filter);
        const out = await this.ddb.send('Query', {
          TableName: model.tableName,
          IndexName: index?.name,
          KeyConditionExpression: keyParts.join(' AND '),
          FilterExpression: filterExpression,
          Limit: limit,
          ExclusiveStartKey: start,
          ScanIndexForward: sortDirection !== 'DESC',
          ...b.attributes(),
        });
        return { items: out.Items ?? [], nextToken: encodeToken(out.LastEvaluatedKey) };
      }
      if (index) {
        throw new AppSyncResolverError(
          `The argument ${index.partitionKey} is required`,
          'InvalidArgumentsError',
        );
      }
      const filterExpression = b.compile(filter);
      const out = await this.ddb.send('Scan', {
        TableName: model.tableName,
        FilterExpression: filterExpression,
        Limit: limit,
        ExclusiveStartKey: start,
        ...b.attributes(),
      });
      return { items: out.Items ?? [], nextToken: encodeToken(out.LastEvaluatedKey) };
    } catch (error) {
      if (error instanceof AppSyncResolverError) throw error;
      throw dynamoError(error);
    }
  }

  /** `createX(input, condition)`: auto id/createdAt/updatedAt/__typename, never overwrites an existing id. */
  async create(
    model: ModelInfo,
    args: Args,
    ctx: RequestContext,
    info: GraphQLResolveInfo,
  ): Promise<Item> {
    const access = decide(model, 'create', ctx.caller);
    if (!access.allowed) throw unauthorized(info.fieldName, info.parentType.name);
    const input: Item = { ...(args['input'] as Item) };
    if (access.ownerOnly) {
      for (const field of access.ownerFields) {
        if (input[field] === undefined || input[field] === null) input[field] = access.entities[0];
        else if (!ownsRecord(input, [field], access.entities))
          throw unauthorized(info.fieldName, info.parentType.name);
      }
    }
    const now = new Date().toISOString();
    const item: Item = {
      ...(model.keyFields[0] === 'id' ? { id: randomUUID() } : {}),
      createdAt: now,
      updatedAt: now,
      ...input,
      __typename: model.name,
    };
    for (const [k, v] of Object.entries(item)) {
      // DynamoDB refuses NULL in index keys; Amplify leaves such attributes out.
      if (v === undefined || (v === null && model.indexedFields.has(k))) delete item[k];
    }
    const b = new ExpressionBuilder();
    const conditions = [`attribute_not_exists(${b.name(model.keyFields[0] ?? 'id')})`];
    const user = b.compile(args['condition'] as FilterInput | undefined);
    if (user) conditions.push(user);
    try {
      await this.ddb.send('PutItem', {
        TableName: model.tableName,
        Item: item,
        ConditionExpression: conditions.join(' AND '),
        ...b.attributes(),
      });
    } catch (error) {
      throw error instanceof AppSyncResolverError ? error : dynamoError(error);
    }
    this.publish(ctx, info, item, model);
    return item;
  }

  /** `updateX(input, condition)`: SET given fields, REMOVE nulls, bump updatedAt, only if the record exists. */
  async update(
    model: ModelInfo,
    args: Args,
    ctx: RequestContext,
    info: GraphQLResolveInfo,
  ): Promise<Item> {
    const access = decide(model, 'update', ctx.caller);
    if (!access.allowed) throw unauthorized(info.fieldName, info.parentType.name);
    const input = args['input'] as Item;
    const key = this.keyOf(model, input);
    if (access.ownerOnly)
      await this.assertOwned(model, key, access.ownerFields, access.entities, info, input);
    const values: Item = { updatedAt: new Date().toISOString(), ...input };
    for (const k of model.keyFields) delete values[k];
    const b = new ExpressionBuilder();
    const sets: string[] = [];
    const removes: string[] = [];
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue;
      if (value === null) removes.push(b.name(field));
      else sets.push(`${b.name(field)} = ${b.value(value)}`);
    }
    const expression = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const item = await this.write('UpdateItem', {
      TableName: model.tableName,
      Key: key,
      UpdateExpression: expression,
      ConditionExpression: existingAnd(b, model, args),
      ReturnValues: 'ALL_NEW',
      ...b.attributes(),
    });
    const record = item ?? { ...key, ...values };
    this.publish(ctx, info, record, model);
    return record;
  }

  /** `deleteX(input, condition)`: returns the record as it was. */
  async delete(
    model: ModelInfo,
    args: Args,
    ctx: RequestContext,
    info: GraphQLResolveInfo,
  ): Promise<Item> {
    const access = decide(model, 'delete', ctx.caller);
    if (!access.allowed) throw unauthorized(info.fieldName, info.parentType.name);
    const key = this.keyOf(model, args['input'] as Item);
    if (access.ownerOnly)
      await this.assertOwned(model, key, access.ownerFields, access.entities, info);
    const b = new ExpressionBuilder();
    const item = await this.write('DeleteItem', {
      TableName: model.tableName,
      Key: key,
      ConditionExpression: existingAnd(b, model, args),
      ReturnValues: 'ALL_OLD',
      ...b.attributes(),
    });
    const record = item ?? key;
    this.publish(ctx, info, record, model);
    return record;
  }

  /** Sends an update or delete, answering a refused condition in AppSync's error shape. */
  private async write<O extends 'UpdateItem' | 'DeleteItem'>(
    operation: O,
    input: DocumentOperations[O][0],
  ): Promise<Item | undefined> {
    try {
      const { Attributes } = await this.ddb.send(operation, input);
      return Attributes;
    } catch (error) {
      throw error instanceof AppSyncResolverError ? error : dynamoError(error);
    }
  }

  private async assertOwned(
    model: ModelInfo,
    key: Item,
    ownerFields: string[],
    entities: string[],
    info: GraphQLResolveInfo,
    input?: Item,
  ): Promise<void> {
    let existing: Item | undefined;
    try {
      ({ Item: existing } = await this.ddb.send('GetItem', {
        TableName: model.tableName,
        Key: key,
        ConsistentRead: true,
      }));
    } catch (error) {
      throw dynamoError(error);
    }
    if (existing && !ownsRecord(existing, ownerFields, entities))
      throw unauthorized(info.fieldName, info.parentType.name);
    // An owner may not hand the record to someone else.
    if (input && ownerFields.some((f) => f in input && !ownsRecord(input, [f], entities))) {
      throw unauthorized(info.fieldName, info.parentType.name);
    }
  }

  private publish(
    ctx: RequestContext,
    info: GraphQLResolveInfo,
    record: Item,
    model: ModelInfo,
  ): void {
    const fieldNode = info.fieldNodes[0];
    if (!fieldNode || info.parentType.name !== info.schema.getMutationType()?.name) return;
    ctx.publications.push({
      mutationField: info.fieldName,
      responseKey: String(info.path.key),
      fieldNode,
      record,
      model,
    });
  }
}
