import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionModel } from '../../assembly';
import { functionsIn } from './test-functions';
import {
  start as startLambda,
  workerExecArgv,
  type LambdaEngine,
  type LambdaEngineOptions,
} from './index';

/*
 * The shared worker pool: functions placed on one worker run their invocations concurrently there,
 * each seeing its own environment (also through the real AWS SDK's client configuration), each log
 * line attributed to the function that wrote it, and a timeout or crash in one function costing
 * the others nothing they cannot retry.
 */

const require = createRequire(import.meta.url);
/** The real SDK and Powertools, imported by the test functions as a bundle would use them. */
const dynamodbUrl = pathToFileURL(require.resolve('@aws-sdk/client-dynamodb')).href;
const loggerUrl = pathToFileURL(require.resolve('@aws-lambda-powertools/logger')).href;

let dir: string;

const fn = functionsIn(() => dir);

const engines: LambdaEngine[] = [];
const startPool = async (
  options: Partial<LambdaEngineOptions> & { functions: FunctionModel[] },
) => {
  const engine = await startLambda({
    commonEnvironment: {},
    log: () => undefined,
    workers: 1,
    ...options,
  });
  engines.push(engine);
  return engine;
};

/** Which worker thread a function runs in, and how many times its module has served a call. */
const counted = `import { threadId } from 'node:worker_threads';
  let calls = 0;
  export const handler = async (event) => {
    calls += 1;
    if (event.delayMs) await new Promise((r) => setTimeout(r, event.delayMs));
    return { calls, threadId };
  };`;

/** A DynamoDB stand-in that answers only once `expected` requests are waiting: they overlap. */
const overlappingDynamoDb = (expected: number) => {
  const seen: { port: number; credential: string }[] = [];
  const waiting: (() => void)[] = [];
  const servers: Server[] = [];
  const listen = async (): Promise<string> => {
    const server = createServer((request: IncomingMessage, response) => {
      request.resume();
      request.on('end', () => {
        const credential =
          /Credential=([^,]+)/.exec(request.headers.authorization ?? '')?.[1] ?? '';
        seen.push({ port: (server.address() as AddressInfo).port, credential });
        waiting.push(() => {
          response.setHeader('content-type', 'application/x-amz-json-1.0');
          response.end(
            JSON.stringify({ TableNames: [`table-on-${(server.address() as AddressInfo).port}`] }),
          );
        });
        if (waiting.length >= expected) for (const answer of waiting.splice(0)) answer();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const close = () => Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return { seen, listen, close };
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lambda-pool-'));
});

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('Functions sharing one worker', () => {
  it("give each invocation its own function's environment, through the real AWS SDK's clients too", async () => {
    const dynamodb = overlappingDynamoDb(2);
    try {
      const [ordersEndpoint, productsEndpoint] = [await dynamodb.listen(), await dynamodb.listen()];
      // One client made while the bundle loads (region, endpoint read then), one made inside the
      // handler; credentials are resolved at the first request, while the other function's is in flight.
      const atLoad = `import { threadId } from 'node:worker_threads';
        const { DynamoDBClient, ListTablesCommand } = await import(${JSON.stringify(dynamodbUrl)});
        const client = new DynamoDBClient({});
        const loadedAs = process.env.SHOP_ROLE;
        export const handler = async () => {
          const { TableNames } = await client.send(new ListTablesCommand({}));
          return { TableNames, loadedAs, role: process.env.SHOP_ROLE, threadId };
        };`;
      const inHandler = atLoad
        .replace('const client = new DynamoDBClient({});', '')
        .replace(
          'const { TableNames } = await',
          'const client = new DynamoDBClient({}); const { TableNames } = await',
        );
      const engine = await startPool({
        functions: [
          fn('readsOrders', atLoad, {
            SHOP_ROLE: 'orders',
            AWS_REGION: 'eu-west-1',
            AWS_ACCESS_KEY_ID: 'ORDERSKEY',
            AWS_ENDPOINT_URL_DYNAMODB: ordersEndpoint,
          }),
          fn('readsProducts', inHandler, {
            SHOP_ROLE: 'products',
            AWS_REGION: 'us-west-2',
            AWS_ACCESS_KEY_ID: 'PRODUCTSKEY',
            AWS_ENDPOINT_URL_DYNAMODB: productsEndpoint,
          }),
        ],
        commonEnvironment: { AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' },
      });
      const [orders, products] = (await Promise.all([
        engine.invoke('readsOrders', {}),
        engine.invoke('readsProducts', {}),
      ])) as { TableNames: string[]; loadedAs: string; role: string; threadId: number }[];
      expect(orders?.threadId).toBe(products?.threadId);
      expect(orders).toMatchObject({
        loadedAs: 'orders',
        role: 'orders',
        TableNames: [`table-on-${new URL(ordersEndpoint).port}`],
      });
      expect(products).toMatchObject({
        loadedAs: 'products',
        role: 'products',
        TableNames: [`table-on-${new URL(productsEndpoint).port}`],
      });
      // Each request was signed with its own function's key, for its own function's region.
      const today = /^\w+\/\d{8}\//;
      expect(dynamodb.seen.map((s) => [s.port, s.credential.replace(today, '')]).sort()).toEqual(
        [
          [Number(new URL(ordersEndpoint).port), 'eu-west-1/dynamodb/aws4_request'],
          [Number(new URL(productsEndpoint).port), 'us-west-2/dynamodb/aws4_request'],
        ].sort(),
      );
      expect(dynamodb.seen.map((s) => s.credential.split('/')[0]).sort()).toEqual([
        'ORDERSKEY',
        'PRODUCTSKEY',
      ]);
      expect(process.env['SHOP_ROLE']).toBeUndefined();
    } finally {
      await dynamodb.close();
    }
  });

  it('keep what a function sets in process.env to itself, and show each its own keys', async () => {
    // Bundles read it as process.env and through import { env } from 'node:process' alike.
    const source = `import { env } from 'node:process';
      export const handler = async (event) => {
        if (event.set) process.env.TOKEN = event.set;
        await new Promise((r) => setTimeout(r, 30));
        return { token: env.TOKEN ?? null, keys: Object.keys(process.env).filter((k) => k.startsWith('OWN_')), has: 'OWN_A' in env };
      };`;
    const engine = await startPool({
      functions: [
        fn('setsToken', source, { OWN_A: '1' }),
        fn('readsToken', source, { OWN_B: '1' }),
      ],
    });
    const [sets, reads] = (await Promise.all([
      engine.invoke('setsToken', { set: 'secret-of-a' }),
      engine.invoke('readsToken', {}),
    ])) as Record<string, unknown>[];
    expect(sets).toEqual({ token: 'secret-of-a', keys: ['OWN_A'], has: true });
    expect(reads).toEqual({ token: null, keys: ['OWN_B'], has: false });
    // And the value stays with the function's later invocations, as in a warm environment.
    await expect(engine.invoke('setsToken', {})).resolves.toMatchObject({ token: 'secret-of-a' });
  });

  it('attribute every log line to the function that wrote it, Powertools and console alike', async () => {
    const lines: [string, string][] = [];
    const source = (word: string) => `const { Logger } = await import(${JSON.stringify(loggerUrl)});
      const logger = new Logger({ serviceName: 'shop' });
      console.log('${word} loaded');
      export const handler = async (event, context) => {
        for (let i = 0; i < 5; i += 1) {
          logger.info('${word} line', { i });
          console.error('${word} error ' + i);
          process.stdout.write('${word} part-');
          await new Promise((r) => setTimeout(r, 2));
          process.stdout.write('${word} whole\\n');
        }
        setTimeout(() => console.log('${word} later'), 5);
        return context.functionName;
      };`;
    const engine = await startPool({
      functions: [fn('receipts', source('receipt')), fn('shipments', source('shipment'))],
      log: (name, line) => lines.push([name, line]),
    });
    await Promise.all([engine.invoke('receipts', {}), engine.invoke('shipments', {})]);
    await new Promise((r) => setTimeout(r, 100));
    for (const [name, word] of [
      ['receipts', 'receipt'],
      ['shipments', 'shipment'],
    ] as const) {
      const own = lines.filter(([n]) => n === name).map(([, line]) => line);
      expect(own.filter((l) => l.includes(word))).toHaveLength(own.length);
      expect(own).toContain(`${word} loaded`);
      expect(own).toContain(`${word} later`);
      expect(own.filter((l) => l === `${word} part-${word} whole`)).toHaveLength(5);
      expect(own.filter((l) => l.startsWith(`${word} error`))).toHaveLength(5);
      const powertools = own
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(powertools.map((p) => [p['message'], p['i']])).toEqual(
        [0, 1, 2, 3, 4].map((i) => [`${word} line`, i]),
      );
    }
    expect(lines).toHaveLength(2 * (1 + 5 * 3 + 1));
  });

  it("keep each concurrent invocation's Powertools keys and request id to it, as Lambda Managed Instances do", async () => {
    const lines: string[] = [];
    // What observed() does in every saga step: the order id is appended for the invocation, the
    // handler awaits I/O while another invocation of the same function runs, then logs.
    const step = `const { Logger } = await import(${JSON.stringify(loggerUrl)});
      const logger = new Logger({ serviceName: 'shop' });
      export const handler = async (event, context) => {
        logger.appendKeys({ orderId: event.orderId, requestId: context.awsRequestId });
        try {
          await new Promise((r) => setTimeout(r, event.delayMs));
          logger.info('order moved');
          return { concurrency: process.env.AWS_LAMBDA_MAX_CONCURRENCY };
        } finally {
          logger.removeKeys(['orderId', 'requestId']);
        }
      };`;
    const engine = await startPool({
      functions: [fn('reserveStock', step)],
      log: (_, line) => lines.push(line),
    });
    const results = await Promise.all(
      ['order-a', 'order-b', 'order-c'].map((orderId, i) =>
        engine.invoke('reserveStock', { orderId, delayMs: 60 - i * 20 }),
      ),
    );
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => l['orderId']).sort()).toEqual(['order-a', 'order-b', 'order-c']);
    expect(new Set(logged.map((l) => l['requestId'])).size).toBe(3);
    expect(results).toEqual(Array(3).fill({ concurrency: expect.stringMatching(/^\d+$/) }));
  });
});

describe('A timed-out or crashed function in a shared worker', () => {
  it('times out alone: the others finish, and new work goes to a fresh worker', async () => {
    const engine = await startPool({
      functions: [
        fn(
          'hangs',
          `export const handler = async (event) => { if (event.hang) await new Promise(() => {}); return 'ok'; };`,
          {},
          1,
        ),
        fn('slow', counted),
      ],
    });
    const slow = engine.invoke('slow', { delayMs: 1_600 });
    await new Promise((r) => setTimeout(r, 50));
    const first = (await engine.invoke('slow', {})) as { calls: number; threadId: number };
    await expect(engine.invoke('hangs', { hang: true })).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    // While the old worker still finishes `slow`, a new call of it loads afresh elsewhere.
    const fresh = (await engine.invoke('slow', {})) as { calls: number; threadId: number };
    expect(fresh.calls).toBe(1);
    expect(fresh.threadId).not.toBe(first.threadId);
    await expect(slow).resolves.toMatchObject({ threadId: first.threadId });
    await expect(engine.invoke('hangs', {})).resolves.toBe('ok');
  });

  it('fails only the crashing invocation on an uncaught exception or rejection; the worker is replaced', async () => {
    const engine = await startPool({
      functions: [
        fn(
          'crashes',
          `export const handler = async (event) => {
             if (event.reject) Promise.reject(new RangeError('nobody awaited this'));
             else setTimeout(() => { throw new TypeError('boom in a timer'); }, 10);
             await new Promise((r) => setTimeout(r, 5_000));
           };`,
        ),
        fn('slow', counted),
      ],
    });
    const before = (await engine.invoke('slow', {})) as { threadId: number };
    const slow = engine.invoke('slow', { delayMs: 300 });
    await expect(engine.invoke('crashes', {})).rejects.toMatchObject({
      name: 'Runtime.ExitError',
      message: 'boom in a timer',
      functionName: 'crashes',
    });
    await expect(slow).resolves.toMatchObject({ calls: 2, threadId: before.threadId });
    const after = (await engine.invoke('slow', {})) as { calls: number; threadId: number };
    expect(after).toMatchObject({ calls: 1 });
    expect(after.threadId).not.toBe(before.threadId);
    await expect(engine.invoke('crashes', { reject: true })).rejects.toMatchObject({
      name: 'Runtime.UnhandledPromiseRejection',
      message: 'nobody awaited this',
    });
  });

  it('on process.exit, fails the exiting invocation as Lambda does and the others with a retryable error', async () => {
    const engine = await startPool({
      functions: [
        fn(
          'exits',
          `export const handler = async () => { await new Promise((r) => setTimeout(r, 20)); process.exit(3); };`,
        ),
        fn('slow', counted),
      ],
    });
    const slow = engine.invoke('slow', { delayMs: 2_000 });
    await new Promise((r) => setTimeout(r, 50));
    await expect(engine.invoke('exits', {})).rejects.toMatchObject({
      name: 'Runtime.ExitError',
      message: expect.stringMatching(/Runtime exited with error: exit status 3$/),
    });
    // Lambda.Unknown is in the saga's retried errors; the retry finds a fresh worker.
    await expect(slow).rejects.toMatchObject({ name: 'Lambda.Unknown', functionName: 'slow' });
    await expect(engine.invoke('slow', {})).resolves.toMatchObject({ calls: 1 });
  });
});

describe('Placing functions on workers', () => {
  it('spreads functions over the pool, and gives each its own worker with 0', async () => {
    const names = ['one', 'two', 'three', 'four'];
    const threadsOf = async (workers: number) => {
      const engine = await startPool({ functions: names.map((n) => fn(n, counted)), workers });
      const results = (await Promise.all(names.map((n) => engine.invoke(n, {})))) as {
        threadId: number;
      }[];
      return new Set(results.map((r) => r.threadId)).size;
    };
    expect(await threadsOf(2)).toBe(2);
    expect(await threadsOf(0)).toBe(4);
  });

  it('warms every function ahead of its first call, each loaded once', async () => {
    const lines: [string, string][] = [];
    const loads = `console.log('cold start'); export const handler = async () => 'warm';`;
    const engine = await startPool({
      functions: [fn('warmA', loads), fn('warmB', loads), fn('warmC', loads)],
      workers: 2,
      log: (name, line) => lines.push([name, line]),
    });
    await engine.warmAll();
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.sort()).toEqual([
      ['warmA', 'cold start'],
      ['warmB', 'cold start'],
      ['warmC', 'cold start'],
    ]);
    await expect(engine.invoke('warmB', {})).resolves.toBe('warm');
    expect(lines).toHaveLength(3);
  });

  it('reclaims a worker none of whose functions ran for idleMs, and not before', async () => {
    const engine = await startPool({
      functions: [fn('often', counted), fn('seldom', counted)],
      idleMs: 400,
    });
    const seldom = (await engine.invoke('seldom', {})) as { threadId: number };
    // Keep the worker in use through `often` for longer than idleMs: `seldom` stays warm.
    for (let i = 0; i < 5; i += 1) await engine.invoke('often', { delayMs: 150 });
    await expect(engine.invoke('seldom', {})).resolves.toEqual({
      calls: 2,
      threadId: seldom.threadId,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await expect(engine.invoke('seldom', {})).resolves.toMatchObject({ calls: 1 });
  });
});

describe('Worker flags', () => {
  it("keep the backend's node flags but not its module hooks or source maps", () => {
    expect(
      workerExecArgv([
        '--cpu-prof',
        '--import',
        '/x/loop-probe.mjs',
        '--import=tsx',
        '--require',
        'a.cjs',
        '--enable-source-maps',
        '--cpu-prof-dir=prof',
      ]),
    ).toEqual(['--cpu-prof', '--cpu-prof-dir=prof']);
  });
});
