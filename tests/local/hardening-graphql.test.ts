/**
 * Hardening: the local AppSync against malformed documents (depth, size, tokens, aliases,
 * batching, bad JSON, syntax) over HTTP and over the realtime socket. Nothing may crash the
 * process: a refused request gets a 4xx GraphQL error, a refused `start` an `error` message on its
 * id, and the same connection and the backend keep serving.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  backendAnswers,
  nestedSelection,
  rawGraphql,
  realtimeExchange,
  startMessage,
  type RawAuth,
  type RealtimeAnswer,
} from '../support/attack';
import { connectBackend, type Backend } from '../support/backend';
import { createShopper, type Shopper } from '../support/shoppers';

let backend: Backend;
let shopper: Shopper;
let apiKey: RawAuth;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  shopper = await createShopper(backend, 'hardening-graphql');
  apiKey = { apiKey: backend.apiKey };
});

afterAll(() => backend?.close());

const PARSER_REFUSAL = /To prevent Denial Of Service attacks, parsing has been cancelled/;
const deepList = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{ eq: '.repeat(n)}"x"${' }'.repeat(n)}`;

/** Documents over the parser's limits: each must be a 4xx, never a crash or a 500. */
const OVERSIZED: [string, () => string][] = [
  ['a query nested 5000 deep', () => `query { ${nestedSelection('listProducts', 5000)} }`],
  ['a query nested 101 deep', () => `query { ${nestedSelection('listProducts', 101)} }`],
  [
    'a subscription nested 5000 deep',
    () => `subscription { ${nestedSelection('onCreateProduct', 5000)} }`,
  ],
  ['a list argument nested 5000 deep', () => `query { getProduct(id: ${deepList(5000)}) { id } }`],
  [
    'an input object nested 5000 deep',
    () => `query { listProducts(filter: { name: ${deepObject(5000)} }) { items { id } } }`,
  ],
  ['a document of 50,000 opening braces', () => '{'.repeat(50_000)],
  ['a document of 50,000 opening brackets', () => `query { a(b: ${'['.repeat(50_000)}) }`],
  ['a document of 50,000 opening parentheses', () => `query { a${'('.repeat(50_000)} }`],
  [
    '16,000 aliases (over 15,000 tokens)',
    () => `query { ${Array.from({ length: 16_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  ],
  [
    '40,000 fields in one selection (over 15,000 tokens)',
    () => `query { listProducts { items { ${'id '.repeat(40_000)} } } }`,
  ],
];

describe('hardening: malformed GraphQL over HTTP', () => {
  it.each(OVERSIZED)('%s gets 400 with the parser limit message', async (_name, document) => {
    const answer = await rawGraphql(backend, { query: document() }, apiKey);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toMatch(PARSER_REFUSAL);
  });

  it('a document over 1 MiB is refused as too large', async () => {
    const answer = await rawGraphql(
      backend,
      { query: `query { listProducts { items { id } } } #${'x'.repeat(1_100_000)}` },
      apiKey,
    );
    expect([400, 413]).toContain(answer.status);
  });

  it('a query 20 deep is no limit error, just validation', async () => {
    const answer = await rawGraphql(
      backend,
      { query: `query { ${nestedSelection('listProducts', 20)} }` },
      apiKey,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors?.[0]?.message).toMatch(/Validation error/);
  });

  it('braces inside strings and comments do not count toward the nesting limit', async () => {
    const braces = '{'.repeat(500);
    const answer = await rawGraphql(
      backend,
      {
        query: `# ${braces}\nquery { listProducts(filter: { name: { eq: "${braces}" } }) { items { id } } }`,
      },
      apiKey,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('50 aliases of the same readable field are all served', async () => {
    const query = `query { ${Array.from({ length: 50 }, (_, i) => `p${i}: listProducts(limit: 1) { items { id } }`).join(' ')} }`;
    const answer = await rawGraphql(backend, { query }, apiKey);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.data ?? {})).toHaveLength(50);
  });

  it('aliases do not multiply access: every alias of listOrders is unauthorized for a guest', async () => {
    const query = `query { ${Array.from({ length: 20 }, (_, i) => `o${i}: listOrders { items { id email } }`).join(' ')} }`;
    const answer = await rawGraphql(backend, { query }, apiKey);
    expect(answer.body.errors).toHaveLength(20);
    expect(answer.body.errors?.every((e) => e.errorType === 'Unauthorized')).toBe(true);
    expect(Object.values(answer.body.data ?? {}).every((v) => v === null)).toBe(true);
  });

  it.each([
    [
      'a batch (JSON array) of queries',
      JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    ],
    ['a body that is not JSON', 'query { listProducts { items { id } } }'],
    ['an empty body', ''],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['a query that is not a string', JSON.stringify({ query: { evil: true } })],
    ['an empty query', JSON.stringify({ query: '' })],
    ['variables that are a string', JSON.stringify({ query: '{ __typename }', variables: 'x' })],
    ['variables that are a list', JSON.stringify({ query: '{ __typename }', variables: [1] })],
    [
      'an operationName that is a number',
      JSON.stringify({ query: '{ __typename }', operationName: 7 }),
    ],
    ['truncated JSON', '{"query": "{ __typename }"'],
    ['a body of 2 MB', JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(2_000_000) })],
  ])('%s gets a 4xx GraphQL error', async (_name, body) => {
    const answer = await rawGraphql(backend, body, apiKey);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.[0]?.message).toEqual(expect.any(String));
  });

  it.each([
    ['an unterminated string', 'query { getProduct(id: "abc) { id } }', /Invalid Syntax/],
    ['an unterminated block string', 'query { getProduct(id: """abc) { id } }', /Invalid Syntax/],
    ['a stray closing brace', 'query { listProducts { items { id } } } }', /Invalid Syntax/],
    ['only a comment', '# nothing here', /Invalid Syntax/],
    ['a NUL byte', 'query { listProducts\u0000 { items { id } } }', /Invalid Syntax/],
    ['an unknown field', 'query { dropTables }', /Validation error of type FieldUndefined/],
    [
      'an undefined fragment',
      'query { listProducts { ...Evil } }',
      /Validation error of type UndefinedFragment/,
    ],
    [
      'a fragment that spreads itself',
      'query { listProducts { ...A } } fragment A on ModelProductConnection { ...A }',
      /Validation error/,
    ],
    ['two anonymous operations', 'query { __typename } query { __typename }', /Validation error/],
    [
      'a subscription over HTTP',
      'subscription { onCreateProduct { id } }',
      /realtime WebSocket endpoint/,
    ],
    [
      'a mutation with a wrongly typed argument',
      'mutation { deleteProduct(input: { id: 42.5 }) { id } }',
      /Validation error/,
    ],
  ])('%s gets an error and runs nothing', async (_name, query, message) => {
    const answer = await rawGraphql(backend, { query }, apiKey);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.[0]?.message).toMatch(message);
    expect(answer.body.data ?? null).toBeNull();
  });

  it.each([
    ['GET', undefined],
    ['PUT', '{}'],
    ['DELETE', undefined],
  ])('%s on /graphql is refused', async (method, body) => {
    const response = await fetch(backend.endpoints.graphql, {
      method,
      headers: { 'x-api-key': backend.apiKey },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

const firstAnswerFor =
  (id: string) =>
  (received: RealtimeAnswer[]): boolean =>
    received.some(
      (m) =>
        (m as { id?: string }).id === id &&
        (m.type === 'error' || m.type === 'start_ack' || m.type === 'complete'),
    );

describe('hardening: malformed realtime messages', () => {
  it('the deep subscription document (the one that killed the process) gets an error on its id, and the connection serves on', async () => {
    const deep = `subscription { ${nestedSelection('onCreateProduct', 5000)} }`;
    const received = await realtimeExchange(
      backend,
      apiKey,
      [
        startMessage(backend, 'deep', deep, apiKey),
        startMessage(backend, 'fine', 'subscription { onCreateProduct { id name } }', apiKey),
      ],
      firstAnswerFor('fine'),
    );
    const deepAnswer = received.find((m) => (m as { id?: string }).id === 'deep');
    expect(deepAnswer?.type).toBe('error');
    expect(deepAnswer?.payload?.errors?.[0]?.message).toMatch(PARSER_REFUSAL);
    expect(received.find((m) => (m as { id?: string }).id === 'fine')?.type).toBe('start_ack');
    expect(await backendAnswers(backend)).toBe(true);
  });

  it.each(OVERSIZED)('%s in a start message gets an error on its id', async (_name, document) => {
    const received = await realtimeExchange(
      backend,
      apiKey,
      [startMessage(backend, 'x', document(), apiKey)],
      firstAnswerFor('x'),
    );
    const answer = received.find((m) => (m as { id?: string }).id === 'x');
    expect(answer?.type).toBe('error');
  });

  it.each([
    ['a message that is not JSON', 'not json at all'],
    ['JSON null', 'null'],
    ['a JSON list', '[1,2,3]'],
    ['a JSON number', '42'],
    ['an unknown message type', JSON.stringify({ type: 'drop_tables', id: 'x' })],
    ['a start without an id', JSON.stringify({ type: 'start', payload: { data: '{}' } })],
    [
      'a start whose data is not JSON',
      JSON.stringify({ type: 'start', id: 'x', payload: { data: '{{{' } }),
    ],
    [
      'a start whose data is null',
      JSON.stringify({ type: 'start', id: 'x', payload: { data: null } }),
    ],
    ['a start with no payload', JSON.stringify({ type: 'start', id: 'x' })],
    [
      'a start whose query is a number',
      JSON.stringify({ type: 'start', id: 'x', payload: { data: JSON.stringify({ query: 7 }) } }),
    ],
    [
      'a start with variables that are a string',
      JSON.stringify({
        type: 'start',
        id: 'x',
        payload: {
          data: JSON.stringify({
            query: 'subscription { onCreateProduct { id } }',
            variables: 'x',
          }),
          extensions: { authorization: { 'x-api-key': 'a' } },
        },
      }),
    ],
    ['a stop for an id never started', JSON.stringify({ type: 'stop', id: 'never' })],
  ])('%s is answered and the connection serves on', async (_name, message) => {
    const received = await realtimeExchange(
      backend,
      apiKey,
      [message, startMessage(backend, 'after', 'subscription { onCreateProduct { id } }', apiKey)],
      firstAnswerFor('after'),
    );
    expect(received.find((m) => (m as { id?: string }).id === 'after')?.type).toBe('start_ack');
  });

  it.each([
    ['a query', 'query { listProducts { items { id } } }'],
    ['a mutation', 'mutation { deleteProduct(input: { id: "x" }) { id } }'],
    ['two subscription fields', 'subscription { onCreateProduct { id } onDeleteProduct { id } }'],
    ['a syntax error', 'subscription { onCreateProduct { id }'],
    ['an unknown subscription', 'subscription { onEverything { id } }'],
  ])('a start carrying %s gets an error, not a subscription', async (_name, query) => {
    const received = await realtimeExchange(
      backend,
      apiKey,
      [startMessage(backend, 'x', query, apiKey)],
      firstAnswerFor('x'),
    );
    expect(received.find((m) => (m as { id?: string }).id === 'x')?.type).toBe('error');
  });

  it('a second start with the same id is refused', async () => {
    const query = 'subscription { onCreateProduct { id } }';
    const received = await realtimeExchange(
      backend,
      apiKey,
      [startMessage(backend, 'dup', query, apiKey), startMessage(backend, 'dup', query, apiKey)],
      (r) => r.filter((m) => (m as { id?: string }).id === 'dup').length >= 2,
    );
    const answers = received.filter((m) => (m as { id?: string }).id === 'dup').map((m) => m.type);
    // One subscription, one refusal (the refusal may come first: the first start is still
    // being authorized when the second arrives).
    expect(answers.sort()).toEqual(['error', 'start_ack']);
  });

  it('a start before connection_init is refused', async () => {
    const { WebSocket } = await import('ws');
    const host = new URL(backend.endpoints.graphql).host;
    const header = Buffer.from(JSON.stringify({ host, 'x-api-key': backend.apiKey })).toString(
      'base64url',
    );
    const ws = new WebSocket(backend.endpoints.realtime, ['graphql-ws', `header-${header}`]);
    const answer = await new Promise<RealtimeAnswer>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () =>
        ws.send(
          JSON.stringify(
            startMessage(backend, 'early', 'subscription { onCreateProduct { id } }', apiKey),
          ),
        ),
      );
      ws.on('message', (raw) => resolve(JSON.parse(String(raw)) as RealtimeAnswer));
    });
    ws.terminate();
    expect(answer.type).toBe('error');
    expect(answer.payload?.errors?.[0]?.message).toMatch(/connection_init must come first/);
  });

  it('a message over the 1 MiB frame limit closes only that connection', async () => {
    const received = await realtimeExchange(
      backend,
      apiKey,
      [JSON.stringify({ type: 'start', id: 'big', pad: 'x'.repeat(1_200_000) })],
      () => false,
      3_000,
    );
    expect(received.find((m) => (m as { id?: string }).id === 'big')).toBeUndefined();
    expect(await backendAnswers(backend)).toBe(true);
  });

  it('the backend still answers after every malformed document and message', async () => {
    expect(await backendAnswers(backend)).toBe(true);
    const mine = await rawGraphql(
      backend,
      { query: 'query { listOrders { items { id } } }' },
      { token: shopper.accessToken },
    );
    expect(mine.status).toBe(200);
  });
});
