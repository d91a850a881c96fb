/**
 * The in-process tables (AppSync's path to DynamoDB) answer what the signed HTTP endpoint answers
 * through the real SDK: the same items, pages and GSI queries, and the same errors (name, message,
 * status) for refused conditions and bad requests. Every case runs through both, each in its own
 * key space, and the outcomes must be equal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localEndpoint,
  ownEnginePort,
} from '../../../tests/support/backend';
import { sdkDocumentTables, start, type DocumentTables, type DynamoDbEngine } from '.';

const PORT = ownEnginePort(33);
const TABLE = 'Order-inprocess-NONE';

let dataDir: string;
let engine: DynamoDbEngine;
let client: DynamoDBDocumentClient;
let overHttp: DocumentTables;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dynamodb-in-process-'));
  engine = await start({
    port: PORT,
    host: '127.0.0.1',
    dataDir,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    tables: [
      {
        logicalId: 'OrderTable',
        name: TABLE,
        arn: `arn:aws:dynamodb:${LOCAL_REGION}:000000000000:table/${TABLE}`,
        keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
        attributeDefinitions: [
          { attributeName: 'id', attributeType: 'S' },
          { attributeName: 'owner', attributeType: 'S' },
          { attributeName: 'createdAt', attributeType: 'S' },
        ],
        globalSecondaryIndexes: [
          {
            indexName: 'byOwner',
            keySchema: [
              { attributeName: 'owner', keyType: 'HASH' },
              { attributeName: 'createdAt', keyType: 'RANGE' },
            ],
            projection: { projectionType: 'ALL' },
          },
        ],
      },
    ],
  });
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...localEndpoint(engine.url), maxAttempts: 1 }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } },
  );
  overHttp = sdkDocumentTables(client);
});

afterAll(async () => {
  client?.destroy();
  await engine?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Outcome =
  { ok: unknown } | { error: { name: string; message: string; status?: number; fault?: string } };

async function outcome(work: Promise<unknown>): Promise<Outcome> {
  try {
    // Request ids differ by nature: the SDK's `$metadata` is left out, wherever it is.
    return {
      ok: JSON.parse(
        JSON.stringify(await work, (k, v: unknown) => (k === '$metadata' ? undefined : v)),
      ) as unknown,
    };
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
    return {
      error: {
        name: e.name,
        message: e.message,
        status: e.$metadata?.httpStatusCode,
        fault: e.$fault,
      },
    };
  }
}

/** Runs a case through HTTP (key space `h`) and in-process (`p`); returns both outcomes, keys unified. */
async function both(
  work: (tables: DocumentTables, space: string) => Promise<unknown>,
): Promise<[Outcome, Outcome]> {
  const unify = (o: Outcome, space: string): Outcome =>
    JSON.parse(JSON.stringify(o).replaceAll(`${space}-`, 'K-')) as Outcome;
  const http = unify(await outcome(work(overHttp, 'h')), 'h');
  const local = unify(await outcome(work(engine.tables, 'p')), 'p');
  return [http, local];
}

const order = (space: string, n: number, extra: Record<string, unknown> = {}) => ({
  id: `${space}-order-${n}`,
  owner: `${space}-owner`,
  createdAt: `2026-12-0${n}T00:00:00.000Z`,
  total: 1999 + n,
  ratio: 0.25,
  paid: n % 2 === 0,
  note: null,
  lines: [{ sku: `${space}-sku`, quantity: n }],
  statusHistory: [{ status: 'PENDING', at: '2026-12-01T00:00:00.000Z' }],
  ...extra,
});

describe('DynamoDB in-process tables against the HTTP endpoint', () => {
  it('stores and reads the same items, nested values and numbers included', async () => {
    const [http, local] = await both(async (t, s) => {
      for (const n of [1, 2, 3, 4]) {
        await t.send('PutItem', {
          TableName: TABLE,
          Item: order(s, n),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': 'id' },
        });
      }
      return t.send('GetItem', {
        TableName: TABLE,
        Key: { id: `${s}-order-2` },
        ConsistentRead: true,
      });
    });
    expect(local).toEqual(http);
    expect(http).toMatchObject({ ok: { Item: { total: 2001, paid: true, note: null } } });
  });

  it('refuses an existing id with the same ConditionalCheckFailedException', async () => {
    const [http, local] = await both((t, s) =>
      t.send('PutItem', {
        TableName: TABLE,
        Item: order(s, 1),
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
      }),
    );
    expect(local).toEqual(http);
    expect(http).toMatchObject({
      error: { name: 'ConditionalCheckFailedException', status: 400, fault: 'client' },
    });
  });

  it('applies a conditional update until the condition fails, with ALL_NEW attributes', async () => {
    const [http, local] = await both(async (t, s) => {
      const results: Outcome[] = [];
      for (let i = 0; i < 3; i++) {
        results.push(
          await outcome(
            t.send('UpdateItem', {
              TableName: TABLE,
              Key: { id: `${s}-order-3` },
              UpdateExpression: 'SET #total = #total - :q, #history = list_append(#history, :h)',
              ConditionExpression: 'attribute_exists(#id) AND #total >= :q',
              ExpressionAttributeNames: {
                '#id': 'id',
                '#total': 'total',
                '#history': 'statusHistory',
              },
              ExpressionAttributeValues: { ':q': 1000, ':h': [{ status: `S${i}` }] },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
      }
      return results;
    });
    expect(local).toEqual(http);
    const steps = (http as { ok: Outcome[] }).ok;
    expect(steps[1]).toMatchObject({
      ok: { Attributes: { total: 2, statusHistory: [{}, {}, {}] } },
    });
    expect(steps.map((o) => ('error' in o ? o.error.name : 'ok'))).toEqual([
      'ok',
      'ok',
      'ConditionalCheckFailedException',
    ]);
  });

  it('queries a GSI page by page, backwards, with a filter, as over HTTP', async () => {
    const [http, local] = await both(async (t, s) => {
      const pages: unknown[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await t.send('Query', {
          TableName: TABLE,
          IndexName: 'byOwner',
          KeyConditionExpression: '#owner = :o AND #createdAt > :after',
          FilterExpression: '#paid = :paid OR #total > :t',
          ExpressionAttributeNames: {
            '#owner': 'owner',
            '#createdAt': 'createdAt',
            '#paid': 'paid',
            '#total': 'total',
          },
          ExpressionAttributeValues: {
            ':o': `${s}-owner`,
            ':after': '2026-12-01',
            ':paid': true,
            ':t': 2002,
          },
          Limit: 2,
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        });
        pages.push(page);
        start = page.LastEvaluatedKey;
      } while (start);
      return pages;
    });
    expect(local).toEqual(http);
    expect((http as { ok: unknown[] }).ok.length).toBeGreaterThan(1);
  });

  it('scans with a filter and deletes with ALL_OLD as over HTTP', async () => {
    const [http, local] = await both(async (t, s) => {
      const scan = await t.send('Scan', {
        TableName: TABLE,
        FilterExpression: 'begins_with(#id, :space)',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':space': `${s}-` },
      });
      const items = [...(scan.Items ?? [])].sort((a, b) =>
        String(a['id']).localeCompare(String(b['id'])),
      );
      const deleted = await t.send('DeleteItem', {
        TableName: TABLE,
        Key: { id: `${s}-order-4` },
        ConditionExpression: 'attribute_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
        ReturnValues: 'ALL_OLD',
      });
      const again = await outcome(
        t.send('DeleteItem', {
          TableName: TABLE,
          Key: { id: `${s}-order-4` },
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#id': 'id' },
        }),
      );
      return { count: scan.Count, items, deleted, again };
    });
    expect(local).toEqual(http);
  });

  it.each<[string, (t: DocumentTables, s: string) => Promise<unknown>, string]>([
    [
      'an unknown table',
      (t, s) => t.send('GetItem', { TableName: 'Nope-table', Key: { id: `${s}-1` } }),
      'ResourceNotFoundException',
    ],
    [
      'a table name DynamoDB cannot have',
      (t, s) => t.send('GetItem', { TableName: 'x!', Key: { id: `${s}-1` } }),
      'ValidationException',
    ],
    [
      'a key of the wrong type',
      (t) => t.send('GetItem', { TableName: TABLE, Key: { id: 42 } }),
      'ValidationException',
    ],
    [
      'a key that is not the schema',
      (t, s) => t.send('GetItem', { TableName: TABLE, Key: { id: `${s}-1`, extra: 'x' } }),
      'ValidationException',
    ],
    [
      'an expression that does not parse',
      (t, s) =>
        t.send('UpdateItem', {
          TableName: TABLE,
          Key: { id: `${s}-order-1` },
          UpdateExpression: 'SET total = = :q',
          ExpressionAttributeValues: { ':q': 1 },
        }),
      'ValidationException',
    ],
    [
      'a name placeholder the request does not define',
      (t, s) =>
        t.send('Query', {
          TableName: TABLE,
          IndexName: 'byOwner',
          KeyConditionExpression: '#missing = :o',
          ExpressionAttributeValues: { ':o': `${s}-owner` },
        }),
      'ValidationException',
    ],
    [
      'an index the table does not have',
      (t, s) =>
        t.send('Query', {
          TableName: TABLE,
          IndexName: 'byNothing',
          KeyConditionExpression: '#o = :o',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':o': `${s}-owner` },
        }),
      'ValidationException',
    ],
    ['a limit of 0', (t) => t.send('Scan', { TableName: TABLE, Limit: 0 }), 'ValidationException'],
    [
      'an index key of the wrong type',
      (t, s) => t.send('PutItem', { TableName: TABLE, Item: { ...order(s, 9), owner: 5 } }),
      'ValidationException',
    ],
    [
      'an empty string as an index key',
      (t, s) => t.send('PutItem', { TableName: TABLE, Item: { ...order(s, 9), owner: '' } }),
      'ValidationException',
    ],
  ])('refuses %s with the same error', async (_what, work, name) => {
    const [http, local] = await both(work);
    expect(local).toEqual(http);
    expect(http).toMatchObject({ error: { name, status: 400 } });
  });

  it('compares two attributes the item lacks as DynamoDB does, in conditions and filters: `=` fails and creates nothing, `<>` holds', async () => {
    const [http, local] = await both(async (t, s) => {
      const guarded = (key: string, condition: string) =>
        outcome(
          t.send('UpdateItem', {
            TableName: TABLE,
            Key: { id: `${s}-${key}` },
            UpdateExpression: 'SET #total = :t',
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#total': 'total', '#a': 'updatedAt', '#b': 'seededAt' },
            ExpressionAttributeValues: { ':t': 1 },
          }),
        );
      const equal = await guarded('missing-equal', '#a = #b AND #total <> :t');
      const ordered = await guarded('missing-ordered', '#a <= #b');
      const negated = await guarded('missing-negated', 'NOT (#a = #b)');
      const unequal = await guarded('missing-unequal', '#a <> #b');
      const read = (key: string) =>
        t.send('GetItem', { TableName: TABLE, Key: { id: `${s}-${key}` }, ConsistentRead: true });
      const scanned = async (filter: string) =>
        (
          await t.send('Scan', {
            TableName: TABLE,
            FilterExpression: `begins_with(id, :p) AND ${filter}`,
            ExpressionAttributeNames: { '#a': 'updatedAt', '#b': 'seededAt' },
            ExpressionAttributeValues: { ':p': `${s}-missing` },
            ConsistentRead: true,
          })
        ).Items?.map((item) => String(item['id'])).sort();
      return {
        equal,
        ordered,
        negated,
        unequal,
        filtered: {
          equal: await scanned('#a = #b'),
          ordered: await scanned('#a >= #b'),
          unequal: await scanned('#a <> #b'),
        },
        left: [
          (await read('missing-equal')).Item ?? null,
          (await read('missing-ordered')).Item ?? null,
          (await read('missing-unequal')).Item ?? null,
        ],
      };
    });
    expect(local).toEqual(http);
    const refused = { error: { name: 'ConditionalCheckFailedException', status: 400 } };
    expect(http).toMatchObject({
      ok: {
        equal: refused,
        ordered: refused,
        negated: { ok: {} },
        unequal: { ok: {} },
        filtered: { equal: [], ordered: [], unequal: ['K-missing-negated', 'K-missing-unequal'] },
        left: [null, null, { id: 'K-missing-unequal', total: 1 }],
      },
    });
  });

  it('refuses an update that empties an index key, and leaves the item and its index as they were', async () => {
    const [http, local] = await both(async (t, s) => {
      await t.send('PutItem', { TableName: TABLE, Item: order(s, 8) });
      const refused = await outcome(
        t.send('UpdateItem', {
          TableName: TABLE,
          Key: { id: `${s}-order-8` },
          UpdateExpression: 'SET #o = :empty, #t = :t',
          ExpressionAttributeNames: { '#o': 'owner', '#t': 'total' },
          ExpressionAttributeValues: { ':empty': '', ':t': 1 },
        }),
      );
      const item = await t.send('GetItem', { TableName: TABLE, Key: { id: `${s}-order-8` } });
      const indexed = await t.send('Query', {
        TableName: TABLE,
        IndexName: 'byOwner',
        KeyConditionExpression: '#o = :o AND createdAt = :c',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':o': `${s}-owner`, ':c': order(s, 8).createdAt },
      });
      return { refused, item: item.Item, indexed: indexed.Items };
    });
    expect(local).toEqual(http);
    expect(http).toMatchObject({
      ok: {
        refused: {
          error: {
            name: 'ValidationException',
            status: 400,
            message: expect.stringContaining('IndexName: byOwner, IndexKey: owner') as unknown,
          },
        },
        item: { owner: 'K-owner', total: 2007 },
        indexed: [{ id: 'K-order-8', total: 2007 }],
      },
    });
  });
});
