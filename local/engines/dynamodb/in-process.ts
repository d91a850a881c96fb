/**
 * The tables in-process, at the action level: dynalite's own request validation and action modules
 * called with the DynamoDB JSON shape, on the store the HTTP endpoint serves. This is how AppSync's
 * resolvers reach the tables (inside AWS they never cross a public endpoint): no SDK middleware,
 * no signature, no JSON text either way, and the same checks, locks and errors as over HTTP.
 * Handlers, tests and the browser keep the signed endpoint.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type DynamoDBDocumentClient,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type PutCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;

/** dynalite's LevelDB store, as its actions take it (opaque here). */
interface DynaliteStore {
  readonly __dynaliteStore?: never;
}

/** dynalite's errors carry the status and the JSON body DynamoDB would send. */
interface DynaliteError extends Error {
  statusCode?: number;
  body?: { __type?: string; message?: string; Message?: string };
}

type Action = (
  store: DynaliteStore,
  data: Json,
  done: (error: DynaliteError | null, data?: Json) => void,
) => void;

interface ActionValidation {
  types: Json;
  custom?: (data: Json, store: DynaliteStore) => string | undefined;
}

interface Validations {
  checkTypes(data: Json, types: Json): Json;
  checkValidations(
    data: Json,
    types: Json,
    custom: ActionValidation['custom'],
    store: DynaliteStore,
  ): void;
}

/** The operations AppSync's model resolvers use (dynalite's module names are the lower-camel ones). */
const ACTION_MODULES = {
  GetItem: 'getItem',
  PutItem: 'putItem',
  UpdateItem: 'updateItem',
  DeleteItem: 'deleteItem',
  Query: 'query',
  Scan: 'scan',
} as const;

export type TableOperation = keyof typeof ACTION_MODULES;

/**
 * An error as the SDK raises it for DynamoDB's JSON error body: `name` is the `__type` after `#`,
 * the message is the body's, and `$metadata` has the status and a request id.
 */
export class TableServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId: string };

  constructor(type: string, message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = type;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, requestId: requestId() };
  }
}

/** DynamoDB's request ids are 52 upper-case base64-ish characters, as dynalite makes them. */
const requestId = (): string =>
  randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');

/** What an SDK client reports for an error body: the type after `#` (and before any `:`), its message. */
function serviceError(error: DynaliteError): TableServiceError {
  if (!error.statusCode || !error.body) {
    // Over HTTP such an error would kill dynalite's handler; a resolver gets a 500 instead.
    return new TableServiceError('InternalServerError', error.message, 500, { cause: error });
  }
  const type = (error.body.__type ?? '').split('#').pop()?.split(':')[0] || 'UnknownError';
  const message = error.body.message ?? error.body.Message ?? 'UnknownError';
  return new TableServiceError(type, message, error.statusCode, { cause: error });
}

/** Calls dynalite's validation and action for one operation on DynamoDB JSON, as its HTTP handler does. */
export interface InProcessTables {
  call(operation: TableOperation, input: Json): Promise<Json>;
}

/**
 * dynalite with a handle on its store: dynalite creates the store inside `dynalite()` and keeps it
 * to itself, so its `db.create` is wrapped for that one call to see the store it makes.
 */
export function dynaliteWithStore(options: Json): { server: Server; tables: InProcessTables } {
  const db = require('dynalite/db') as DynaliteDb;
  refuseEmptyIndexKeys(db);
  compareMissingAttributesAsDynamoDb(db);
  const dynalite = require('dynalite') as (options: Json) => Server;
  const create = db.create;
  let store: DynaliteStore | undefined;
  db.create = (o) => (store = create(o));
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    db.create = create;
  }
  if (!store) throw new Error('dynalite did not create its store through dynalite/db');
  return { server, tables: actionLevel(store) };
}

interface DynaliteTable {
  TableName: string;
}

/** The parts of dynalite/db used here: module exports its actions look up at each call. */
interface DynaliteDb {
  create: (options: Json) => DynaliteStore;
  validateItem: (item: Json, table: DynaliteTable) => DynaliteError | undefined;
  updateIndexes: (
    store: DynaliteStore,
    table: DynaliteTable,
    existing: Json | undefined,
    item: Json | undefined,
    done: (error?: DynaliteError | null) => void,
  ) => void;
  traverseIndexes: (
    table: DynaliteTable,
    visit: (attribute: string, type: string, index: { IndexName: string }) => unknown,
  ) => DynaliteError | undefined;
  validationError: (message: string) => DynaliteError;
  checkConditional: (data: Json, existing: Json | undefined) => DynaliteError | null | undefined;
  queryTable: (store: DynaliteStore, table: DynaliteTable, data: Json, ...rest: unknown[]) => void;
}

/** A node of a parsed condition or filter, as dynalite's parser leaves it in `_condition`. */
interface ConditionNode {
  type: string;
  args: unknown[];
  name?: string;
}

/**
 * True the first time a patch marked `mark` is applied to dynalite's module object, which every
 * engine started in this process shares; false after, so a patch never wraps its own wrapper.
 */
function firstPatch(db: DynaliteDb, mark: symbol): boolean {
  const marked = db as unknown as Record<symbol, boolean>;
  if (marked[mark]) return false;
  marked[mark] = true;
  return true;
}

const REFUSING = Symbol.for('storefront.dynalite.refusesEmptyIndexKeys');

/**
 * DynamoDB refuses an item whose secondary index key is an empty string or binary (a table key may
 * not be empty, and neither may an index's); dynalite checks the table's keys only and would index
 * the item under "". Its actions call these two exports through the module object, so wrapping
 * them covers PutItem and BatchWriteItem (validateItem, before any write) and UpdateItem (the
 * updated item, before it is indexed or stored). Patched once per process.
 */
function refuseEmptyIndexKeys(db: DynaliteDb): void {
  if (!firstPatch(db, REFUSING)) return;
  const emptyIndexKey = (item: Json | undefined, table: DynaliteTable) =>
    item
      ? db.traverseIndexes(table, (attribute, type, index) => {
          const value = (item[attribute] as Record<string, unknown> | undefined)?.[type];
          if (value !== '' || (type !== 'S' && type !== 'B')) return undefined;
          return db.validationError(
            'One or more parameter values are not valid. A value specified for a secondary index ' +
              'key is not supported. The AttributeValue for a key attribute cannot contain an ' +
              `empty ${type === 'S' ? 'string' : 'binary'} value. IndexName: ${index.IndexName}, ` +
              `IndexKey: ${attribute}`,
          );
        })
      : undefined;
  const validateItem = db.validateItem;
  db.validateItem = (item, table) => validateItem(item, table) ?? emptyIndexKey(item, table);
  const updateIndexes = db.updateIndexes;
  db.updateIndexes = (store, table, existing, item, done) => {
    const refused = emptyIndexKey(item, table);
    if (refused) return done(refused);
    updateIndexes(store, table, existing, item, done);
  };
}

const COMPARING_MISSING = Symbol.for('storefront.dynalite.comparesMissingAttributes');
const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);

/**
 * In DynamoDB a comparison between two attributes the item does not have is false, except `<>`,
 * which is true. dynalite compares the two missing values as equal, so on a missing item a guard
 * such as `updatedAt = seededAt` passed and the UpdateItem it guarded created the item. Each
 * comparison of two paths is rewritten so that dynalite's answer is DynamoDB's: `a = b` becomes
 * `a = b AND attribute_exists(a)`, `a <> b` becomes `a <> b OR attribute_not_exists(a)`. dynalite
 * already answers as DynamoDB when only one of the two is missing.
 */
function comparingMissingAsDynamoDb(node: ConditionNode): ConditionNode {
  if (node.type === 'and' || node.type === 'or' || node.type === 'not') {
    return {
      ...node,
      args: node.args.map((arg) => comparingMissingAsDynamoDb(arg as ConditionNode)),
    };
  }
  if (!COMPARISONS.has(node.type) || !node.args.every((arg) => Array.isArray(arg))) return node;
  const [left] = node.args;
  return node.type === '<>'
    ? { type: 'or', args: [node, { type: 'function', name: 'attribute_not_exists', args: [left] }] }
    : { type: 'and', args: [node, { type: 'function', name: 'attribute_exists', args: [left] }] };
}

/**
 * Conditions (PutItem, UpdateItem and DeleteItem call `checkConditional`) and Query and Scan
 * filters (`queryTable`) go through the module object, so wrapping the two covers every
 * expression that reads items. Patched once per process.
 */
function compareMissingAttributesAsDynamoDb(db: DynaliteDb): void {
  if (!firstPatch(db, COMPARING_MISSING)) return;
  const rewritten = (data: Json, key: '_condition' | '_filter'): Json => {
    const parsed = data[key] as { expression?: ConditionNode } | undefined;
    if (!parsed?.expression) return data;
    return {
      ...data,
      [key]: { ...parsed, expression: comparingMissingAsDynamoDb(parsed.expression) },
    };
  };
  const checkConditional = db.checkConditional;
  db.checkConditional = (data, existing) =>
    checkConditional(rewritten(data, '_condition'), existing);
  const queryTable = db.queryTable;
  db.queryTable = (store, table, data, ...rest) =>
    queryTable(store, table, rewritten(data, '_filter'), ...rest);
}

function actionLevel(store: DynaliteStore): InProcessTables {
  const validations = require('dynalite/validations') as Validations;
  const modules = new Map<TableOperation, { action: Action; validation: ActionValidation }>();
  const moduleOf = (operation: TableOperation) => {
    let found = modules.get(operation);
    if (!found) {
      const name = ACTION_MODULES[operation];
      found = {
        action: require(`dynalite/actions/${name}`) as Action,
        validation: require(`dynalite/validations/${name}`) as ActionValidation,
      };
      modules.set(operation, found);
    }
    return found;
  };
  return {
    call: (operation, input) =>
      new Promise((resolve, reject) => {
        try {
          const { action, validation } = moduleOf(operation);
          const data = validations.checkTypes(input, validation.types);
          validations.checkValidations(data, validation.types, validation.custom, store);
          action(store, data, (error, output) => {
            if (error) reject(serviceError(error));
            else resolve(output ?? {});
          });
        } catch (error) {
          reject(
            error instanceof Error
              ? serviceError(error as DynaliteError)
              : new Error(String(error)),
          );
        }
      }),
  };
}

/** The document-level calls AppSync's resolvers make, with lib-dynamodb's inputs and outputs. */
export interface DocumentOperations {
  GetItem: [GetCommandInput, GetCommandOutput];
  PutItem: [PutCommandInput, PutCommandOutput];
  UpdateItem: [UpdateCommandInput, UpdateCommandOutput];
  DeleteItem: [DeleteCommandInput, DeleteCommandOutput];
  Query: [QueryCommandInput, QueryCommandOutput];
  Scan: [ScanCommandInput, ScanCommandOutput];
}

export type DocumentOutput<O extends TableOperation> = Omit<DocumentOperations[O][1], '$metadata'>;

/** The tables with native JavaScript values, either in-process or through an SDK client. */
export interface DocumentTables {
  send<O extends TableOperation>(
    operation: O,
    input: DocumentOperations[O][0],
  ): Promise<DocumentOutput<O>>;
}

/** The marshalling lib-dynamodb does for AppSync's client (see appsync/index.ts). */
const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true };
const MARSHALLED_INPUTS = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'];
const UNMARSHALLED_OUTPUTS = ['Item', 'Attributes', 'LastEvaluatedKey'];

/**
 * Native values to DynamoDB JSON and back, as lib-dynamodb does for these six operations. GraphQL
 * has no binary scalar, so no `B`/`BS` value (base64 text on the wire) ever crosses here.
 */
export function inProcessDocumentTables(tables: InProcessTables): DocumentTables {
  return {
    async send(operation, input) {
      const wire: Json = { ...input };
      for (const key of MARSHALLED_INPUTS) {
        const value = wire[key] as Record<string, NativeAttributeValue> | undefined;
        if (value !== undefined) wire[key] = marshall(value, MARSHALL_OPTIONS);
      }
      const output = await tables.call(operation, wire);
      for (const key of UNMARSHALLED_OUTPUTS) {
        const value = output[key] as Parameters<typeof unmarshall>[0] | undefined;
        if (value !== undefined) output[key] = unmarshall(value);
      }
      const items = output['Items'] as Parameters<typeof unmarshall>[0][] | undefined;
      if (items !== undefined) output['Items'] = items.map((item) => unmarshall(item));
      return output as DocumentOutput<typeof operation>;
    },
  };
}

const COMMANDS = {
  GetItem: GetCommand,
  PutItem: PutCommand,
  UpdateItem: UpdateCommand,
  DeleteItem: DeleteCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
};

/** The same calls through an SDK client and the signed endpoint (AppSync's own tests use this). */
export function sdkDocumentTables(client: DynamoDBDocumentClient): DocumentTables {
  return {
    send: (operation, input) => {
      const Command = COMMANDS[operation] as new (input: unknown) => GetCommand;
      return client.send(new Command(input)) as Promise<DocumentOutput<typeof operation>>;
    },
  };
}
