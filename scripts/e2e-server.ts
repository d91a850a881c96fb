/**
 * The server the Playwright suite runs against: the local backend (when local/main.ts exists) on
 * its own ports (LOCAL_PORT_BASE=4800) with a fresh state folder, then Next.js on PORT.
 * E2E_NEXT_MODE=start serves an existing production build instead of `next dev`;
 * E2E_NEXT_BUILD=1 with it first runs `next build` while the backend answers, so the catalog,
 * the home grid and every product page are prerendered into the build (what `bench:web` measures).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { E2E_REVALIDATE_SECRET } from '../e2e/revalidate-secret';
import { BROWSER_TESTS_BANK_CONFIRMATION_SECONDS } from './browser-test-settings';
import { localStorefrontUrl } from './storefront-url';

const projectDir = process.cwd();
const port = process.env.PORT ?? '3100';
const portBase = process.env.E2E_LOCAL_PORT_BASE ?? '4800';
const runDir = path.join(projectDir, '.tmp', `e2e-${portBase}`);
const stateDir = path.join(runDir, 'state');
const outputsPath = path.join(runDir, 'amplify_outputs.json');
// One secret for both ends of the backend's webhook: the local revalidateStorefront function (an
// Amplify secret, served by the local SSM) and Next's POST /api/revalidate.
const revalidateSecret = process.env.STOREFRONT_REVALIDATE_SECRET ?? E2E_REVALIDATE_SECRET;
const children: ChildProcess[] = [];
const started = Date.now();
const log = (message: string) =>
  console.log(`[e2e-server +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

function stopAll(code: number): never {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(130));
process.on('SIGTERM', () => stopAll(143));

/** Starts `npm run local` on the e2e ports and resolves once it prints its `ready` line. */
async function startBackend(): Promise<boolean> {
  if (!existsSync(path.join(projectDir, 'local', 'main.ts'))) {
    log(
      'local/main.ts does not exist yet: starting Next.js alone (pages will say the backend is not running).',
    );
    return false;
  }
  // Each run starts from a known state: a fresh folder for the engines and their outputs.
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  log(`starting the local backend on port base ${portBase}, state in ${stateDir}`);
  const backend = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: projectDir,
    env: {
      ...process.env,
      LOCAL_PORT_BASE: portBase,
      LOCAL_STATE_DIR: stateDir,
      LOCAL_OUTPUTS_FILE: outputsPath,
      LOCAL_STOREFRONT_URL: localStorefrontUrl(process.env, port),
      LOCAL_SECRET_STOREFRONT_REVALIDATE_SECRET: revalidateSecret,
      // The Lambda fault hook (signed requests only): journeys slow a step down to watch it live.
      LOCAL_TEST_HOOKS: '1',
      // The 3-D Secure walk-away journey waits this out (e2e/bank-confirmation.spec.ts).
      BANK_CONFIRMATION_TIMEOUT_SECONDS:
        process.env.BANK_CONFIRMATION_TIMEOUT_SECONDS ?? BROWSER_TESTS_BANK_CONFIRMATION_SECONDS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(backend);
  backend.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[local] ${chunk.toString()}`));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: backend.stdout });
    lines.on('line', (line) => {
      console.log(`[local] ${line}`);
      if (/^ready\b/.test(line)) resolve();
    });
    backend.on('exit', (code) =>
      reject(new Error(`the local backend exited (code ${code}) before it was ready`)),
    );
  });
  log('local backend ready');
  return true;
}

async function main(): Promise<void> {
  const withBackend = await startBackend();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The secret the backend's webhook and the revalidate spec call POST /api/revalidate with.
    STOREFRONT_REVALIDATE_SECRET: revalidateSecret,
    PORT: port,
  };
  if (withBackend) {
    if (existsSync(outputsPath)) env.AMPLIFY_OUTPUTS_PATH = outputsPath;
    else log(`the backend did not write ${outputsPath}: Next.js reads ./amplify_outputs.json`);
  }
  const mode = process.env.E2E_NEXT_MODE === 'start' ? 'start' : 'dev';
  if (mode === 'start' && process.env.E2E_NEXT_BUILD === '1') {
    log(`next build ${withBackend ? 'with the local backend answering' : 'without a backend'}`);
    const built = spawnSync(
      process.execPath,
      [path.join(projectDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
      { cwd: projectDir, env: { ...env, NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'inherit' },
    );
    if (built.status !== 0) {
      log(`next build failed (exit ${built.status})`);
      stopAll(1);
    }
    log('next build done');
  }
  log(`starting next ${mode} on port ${port}`);
  const next = spawn(
    process.execPath,
    [path.join(projectDir, 'node_modules', 'next', 'dist', 'bin', 'next'), mode, '--port', port],
    { cwd: projectDir, env, stdio: 'inherit' },
  );
  children.push(next);
  next.on('exit', (code) => {
    log(`next exited with code ${code}`);
    stopAll(code ?? 1);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopAll(1);
});
