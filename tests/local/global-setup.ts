/**
 * Global setup of the `local` test project: starts `npm run local` once as a child process on
 * LOCAL_PORT_BASE (default 4600) with a fresh state folder, waits for its `ready` line, hands the
 * URLs to the tests (`inject('localBackend')`), and stops it when the run ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/** What the tests get from `inject('localBackend')`. */
export interface LocalBackendInfo {
  urls: Record<string, string>;
  portBase: number;
  stateDir: string;
  /** amplify_outputs.json of this backend (written into the state folder, not the project's). */
  outputs: Record<string, unknown>;
  admin: { email: string; password: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    localBackend: LocalBackendInfo;
  }
}

const READY_TIMEOUT_MS = 10 * 60 * 1000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const portBase = Number(process.env['LOCAL_PORT_BASE'] ?? 4600);
  const stateDir = mkdtempSync(path.join(tmpdir(), 'storefront-local-'));
  const outputsFile = path.join(stateDir, 'amplify_outputs.json');
  const admin = { email: 'admin@example.com', password: 'Admin-Passw0rd!' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      LOCAL_PORT_BASE: String(portBase),
      LOCAL_STATE_DIR: stateDir,
      LOCAL_OUTPUTS_FILE: outputsFile,
      LOCAL_ADMIN_EMAIL: admin.email,
      LOCAL_ADMIN_PASSWORD: admin.password,
      LOCAL_LAMBDA_PREWARM: process.env['LOCAL_LAMBDA_PREWARM'] ?? '1',
      // The fault hook and SNS's message log: off in any backend not started for tests.
      LOCAL_TEST_HOOKS: '1',
      // Retried steps wait a tenth of the deployed backoff: the saga tests exercise up to six
      // attempts with 2 s doubling, and what they check (one charge, compensation, the final
      // state) does not depend on how long each wait is. The engine's own backoff test runs at 1.
      LOCAL_STEPFUNCTIONS_RETRY_SCALE: process.env['LOCAL_STEPFUNCTIONS_RETRY_SCALE'] ?? '0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const urls = await waitForReady(child, output).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(
      `npm run local did not start: ${(error as Error).message}\n${output.slice(-40).join('')}`,
    );
  });
  // Engines' logs after start go to the test output only when asked for, to keep reports readable;
  // the last of them are kept so that a backend dying mid-run says why instead of a wall of
  // ECONNREFUSED in the tests that follow.
  const recent: string[] = [];
  const keep = (d: Buffer) => {
    recent.push(d.toString('utf8'));
    if (recent.length > 200) recent.shift();
  };
  const verbose = process.env['LOCAL_VERBOSE'] === '1';
  child.stdout?.on('data', (d: Buffer) => (verbose ? process.stdout.write(d) : keep(d)));
  child.stderr?.on('data', (d: Buffer) => (verbose ? process.stderr.write(d) : keep(d)));
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      `\n✖ The tests' local backend exited mid-run (code ${code}, signal ${signal}). Its last output:\n${recent.join('').split('\n').slice(-80).join('\n')}\n`,
    );
  });
  project.provide('localBackend', {
    urls,
    portBase,
    stateDir,
    outputs: JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, unknown>,
    admin,
  });
  return async () => {
    stopping = true;
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
}

function waitForReady(child: ChildProcess, output: string[]): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error('timed out waiting for ready')),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output.push(text);
      buffer += text;
      const match = /^ready (\{.*\})$/m.exec(buffer);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(JSON.parse(match[1]) as Record<string, string>);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code}`));
    });
  });
}
