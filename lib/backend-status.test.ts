import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalBackendStatus } from './backend-status';
import type { OutputsResult } from './outputs';

const outputsAt = (graphql: string, local = true): OutputsResult => ({
  ok: true,
  outputs: {
    data: { url: graphql, aws_region: 'us-east-1' },
    ...(local ? { custom: { local: { graphql } } } : {}),
  },
});

let server: Server;
let listening: string;
let closed: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(400).end('{"errors":[]}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listening = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  // A port that was just free and is closed again: nothing answers there.
  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  closed = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/graphql`;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('Storefront: is the local backend running?', () => {
  it('a local backend that answers (any status) is up', async () => {
    const result = await withLocalBackendStatus(outputsAt(listening));
    expect(result.ok).toBe(true);
  });

  it('outputs naming a local backend that is not running are "unreachable", with its URL', async () => {
    // Act
    const result = await withLocalBackendStatus(outputsAt(closed));
    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', path: closed });
    if (!result.ok) expect(result.detail).toMatch(/ECONNREFUSED/);
  });

  it('the cloud path is not probed', async () => {
    const result = await withLocalBackendStatus(outputsAt(closed, false));
    expect(result.ok).toBe(true);
  });

  it('a missing or invalid file stays as it was', async () => {
    const missing: OutputsResult = { ok: false, reason: 'missing', path: '/x', detail: 'ENOENT' };
    expect(await withLocalBackendStatus(missing)).toBe(missing);
  });
});
