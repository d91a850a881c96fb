/**
 * `npm run dev`: starts the local backend (`npm run local`, as a child process) and, once it prints
 * `ready` and amplify_outputs.json is in place, `next dev`. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localStorefrontUrl } from './storefront-url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  ).then(
    () => process.exit(code),
    () => process.exit(code),
  );
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const port = process.env['PORT'] ?? '3000';
// The backend's webhook (revalidateStorefront) and Next's POST /api/revalidate share this secret:
// one made up for this run unless one is set, so nothing needs configuring offline.
const revalidateSecret =
  process.env['STOREFRONT_REVALIDATE_SECRET'] ?? randomBytes(32).toString('base64url');
console.log('dev: starting the local backend (npm run local) ...');
const backend = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
  cwd: root,
  // Email links point at the port Next.js is about to serve on.
  env: {
    ...process.env,
    LOCAL_STOREFRONT_URL: localStorefrontUrl(process.env, port),
    LOCAL_SECRET_STOREFRONT_REVALIDATE_SECRET: revalidateSecret,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(backend);
backend.on('exit', (code) => {
  if (!stopping) {
    console.error(`dev: the local backend stopped (exit code ${code}); stopping Next.js`);
    stopAll(code ?? 1);
  }
});

let buffer = '';
let nextStarted = false;
backend.stdout?.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (nextStarted) return;
  buffer += chunk.toString('utf8');
  const ready = /^ready (\{.*\})$/m.exec(buffer);
  if (!ready?.[1]) return;
  nextStarted = true;
  const urls = JSON.parse(ready[1]) as Record<string, string>;
  console.log('\ndev: what runs where');
  console.log(`  storefront (Next.js)   http://localhost:${port}`);
  console.log(`  local mailbox page     http://localhost:${port}/mailbox`);
  console.log(`  GraphQL API            ${urls['graphql']}`);
  console.log(`  Cognito user pool      ${urls['cognito']}`);
  console.log(`  mailbox JSON API       ${urls['mailbox']}/messages`);
  console.log(`  amplify_outputs.json   ${urls['outputs']}\n`);
  const next = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'dev', '--port', port],
    {
      cwd: root,
      env: { ...process.env, STOREFRONT_REVALIDATE_SECRET: revalidateSecret },
      stdio: 'inherit',
    },
  );
  children.push(next);
  next.on('exit', (code) => {
    if (!stopping) {
      console.error(`dev: Next.js stopped (exit code ${code}); stopping the local backend`);
      stopAll(code ?? 1);
    }
  });
});
