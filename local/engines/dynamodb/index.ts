/**
 * Local DynamoDB: dynalite persisted under the state folder, with the tables and GSIs the templates
 * declare created when missing (a GSI added to the schema later is added to the existing table).
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../../assembly';
import type { Engine } from '../kit/engine';
import { BodyTooLargeError, close, listen, readBody } from '../kit/http';
import { JSON_SIGNATURE_ERRORS, RequestSignatureError, verifyIncomingRequest } from '../kit/sigv4';
import { dynaliteWithStore, inProcessDocumentTables, type DocumentTables } from './in-process';

export {
  inProcessDocumentTables,
  sdkDocumentTables,
  TableServiceError,
  type DocumentTables,
} from './in-process';

/** DynamoDB's own ceiling for a request (a full BatchWriteItem is 16 MB). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface DynamoDbEngineOptions {
  port: number;
  host: string;
  /** Folder of the LevelDB store. */
  dataDir: string;
  tables: TableModel[];
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  log?: (line: string) => void;
}

/** The tables, served over HTTP to the SDK and reachable in-process by engines AWS links inside. */
export interface DynamoDbEngine extends Engine {
  /**
   * The same store in this process, for AppSync's resolvers, which reach DynamoDB inside AWS, not
   * through an endpoint: dynalite's own validation and actions are called on DynamoDB JSON (see
   * in-process.ts), so a resolver gets the answers and errors a client over HTTP gets, without
   * the SDK's serialization, signing and JSON round trip. Clients outside use the URL.
   */
  tables: DocumentTables;
}

/** Starts dynalite and makes sure every declared table and GSI exists. */
export async function start(options: DynamoDbEngineOptions): Promise<DynamoDbEngine> {
  mkdirSync(options.dataDir, { recursive: true });
  const { server, tables } = dynaliteWithStore({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  requireSignatures(server, options);
  await listen(server, 'DynamoDB', options.port, options.host);
  const url = `http://${options.host}:${options.port}`;
  const client = new DynamoDBClient({
    endpoint: url,
    region: options.region,
    credentials: options.credentials,
  });
  try {
    await ensureTables(client, options.tables, options.log ?? (() => undefined));
  } catch (error) {
    await close(server);
    throw error;
  } finally {
    client.destroy();
  }
  return { url, stop: () => close(server), tables: inProcessDocumentTables(tables) };
}

/**
 * dynalite only checks that a signature is present; DynamoDB checks that it is right. Every
 * request's body is read and its signature verified first; a good one is replayed to dynalite.
 */
function requireSignatures(
  server: Server,
  options: Pick<DynamoDbEngineOptions, 'credentials' | 'region'>,
): void {
  const dynaliteHandlers = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let body: Buffer;
      try {
        body = await readBody(req, MAX_REQUEST_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) return void res.destroy();
        res.writeHead(413, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      try {
        await verifyIncomingRequest(req, body, options.credentials, {
          service: 'dynamodb',
          region: options.region,
        });
      } catch (error) {
        const problem = error instanceof RequestSignatureError ? error.problem : 'malformed';
        const text = JSON.stringify({
          __type: `com.amazon.coral.service#${JSON_SIGNATURE_ERRORS[problem]}`,
          message: error instanceof Error ? error.message : String(error),
        });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(text);
        return;
      }
      const replay = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
        headers: req.headers,
        url: req.url,
        method: req.method,
        socket: req.socket,
      }) as unknown as IncomingMessage;
      for (const handler of dynaliteHandlers) handler(replay, res);
    })();
  });
}

async function ensureTables(
  client: DynamoDBClient,
  tables: TableModel[],
  log: (line: string) => void,
): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);

  for (const table of tables) {
    const keySchema = table.keySchema.map(toKey);
    const attributeDefinitions = table.attributeDefinitions.map(toAttribute);
    if (!existing.has(table.name)) {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: keySchema,
          AttributeDefinitions: attributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes:
            table.globalSecondaryIndexes.length > 0
              ? table.globalSecondaryIndexes.map((gsi) => ({
                  IndexName: gsi.indexName,
                  KeySchema: gsi.keySchema.map(toKey),
                  Projection: {
                    ProjectionType: gsi.projection.projectionType as 'ALL',
                    NonKeyAttributes: gsi.projection.nonKeyAttributes,
                  },
                }))
              : undefined,
        }),
      );
      await untilActive(client, table.name);
      log(`created table ${table.name}`);
      continue;
    }
    const described = await client.send(new DescribeTableCommand({ TableName: table.name }));
    const present = new Set(
      (described.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? ''),
    );
    for (const gsi of table.globalSecondaryIndexes) {
      if (present.has(gsi.indexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: attributeDefinitions,
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: gsi.indexName,
                KeySchema: gsi.keySchema.map(toKey),
                Projection: { ProjectionType: gsi.projection.projectionType as 'ALL' },
              },
            },
          ],
        }),
      );
      await untilActive(client, table.name);
      log(`added index ${gsi.indexName} to ${table.name}`);
    }
  }
}

/**
 * Waits for the table and its indexes to be ACTIVE, as AWS's `tableExists` waiter does: dynalite
 * (like DynamoDB) answers CreateTable while the table is still CREATING, and refuses item requests
 * until it is ACTIVE, even with its creation delay set to 0 ms.
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((g) => g.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline) throw new Error(`${tableName} did not become ACTIVE in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const toKey = (k: TableModel['keySchema'][number]): KeySchemaElement => ({
  AttributeName: k.attributeName,
  KeyType: k.keyType,
});
const toAttribute = (a: TableModel['attributeDefinitions'][number]): AttributeDefinition => ({
  AttributeName: a.attributeName,
  AttributeType: a.attributeType,
});
