/**
 * `npm run synth [-- --force]`: synthesizes the Amplify backend in amplify/ to cdk.out offline
 * (no credentials, no network), skipping the work when nothing it depends on changed.
 *
 * The backend is run as `tsx amplify/backend.ts` with CDK_OUTDIR and the three Amplify context
 * keys, exactly as the CDK CLI would run it, into a fresh directory that replaces cdk.out only
 * when synthesis succeeds. The cache key is a hash of amplify/, package-lock.json, this script
 * and the deploy-time settings, stored in cdk.out/synth-hash.json.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Amplify backend identity the offline synthesis uses (a sandbox named storefront/dev). */
export const SYNTH_CONTEXT = {
  'amplify-backend-namespace': 'storefront',
  'amplify-backend-name': 'dev',
  'amplify-backend-type': 'sandbox',
} as const;

/** Deploy-time settings read by amplify/custom/settings.ts, plus the cdk-nag switch. */
const SETTINGS_ENV = [
  'SHOP_FROM_EMAIL',
  'STOREFRONT_URL',
  'ALERT_EMAIL',
  'BANK_CONFIRMATION_TIMEOUT_SECONDS',
  'CDK_NAG',
] as const;

const HASH_FILE = 'synth-hash.json';

export interface SynthesizeOptions {
  /** Synthesize even when the cached assembly is up to date. */
  force?: boolean;
  /** Where the cloud assembly goes; default `<project>/cdk.out`. */
  outDir?: string;
  /** Extra environment for the synthesis (e.g. `{ CDK_NAG: '1' }`); part of the cache key. */
  env?: Record<string, string>;
  /** Skip bundling the functions (templates only): for checks that never run the code. */
  skipBundling?: boolean;
  /** Print progress (default true). */
  log?: (line: string) => void;
}

export interface SynthesizeResult {
  outDir: string;
  cached: boolean;
  ms: number;
}

/** Raised when `tsx amplify/backend.ts` fails; carries the child's output. */
export class SynthesisError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'SynthesisError';
  }
}

/** Synthesizes amplify/ to a cloud assembly unless the one on disk is already up to date. */
export const synthesize = async (options: SynthesizeOptions = {}): Promise<SynthesizeResult> => {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = path.resolve(projectRoot, options.outDir ?? 'cdk.out');
  const env: Record<string, string> = {};
  for (const key of SETTINGS_ENV) {
    const value = options.env?.[key] ?? process.env[key];
    if (value !== undefined) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;

  let t0 = Date.now();
  const context: Record<string, unknown> = { ...SYNTH_CONTEXT };
  // An empty bundling allow-list makes CDK skip every asset bundling step.
  if (options.skipBundling) context['aws:cdk:bundling-stacks'] = [];
  const hash = await hashInputs({ ...env, CDK_CONTEXT_JSON: JSON.stringify(context) });
  log(`synth: hashed amplify/ and package-lock.json (${Date.now() - t0} ms)`);

  if (!options.force && (await readStoredHash(outDir)) === hash) {
    const ms = Date.now() - started;
    log(`synth: ${path.relative(projectRoot, outDir)} is up to date (${ms} ms)`);
    return { outDir, cached: true, ms };
  }
  if (!options.force && (await takeFromShelf(outDir, hash))) {
    const ms = Date.now() - started;
    log(
      `synth: ${path.relative(projectRoot, outDir)} put back from an earlier synthesis (${ms} ms)`,
    );
    return { outDir, cached: true, ms };
  }

  const tmpDir = path.join(projectRoot, '.amplify', 'tmp');
  const stagingDir = `${outDir}.staging-${process.pid}`;
  await mkdir(tmpDir, { recursive: true });
  await rm(stagingDir, { recursive: true, force: true });

  const binDir = await writeNpxShim(tmpDir);

  t0 = Date.now();
  log(
    `synth: running tsx amplify/backend.ts (${options.skipBundling ? 'templates only' : 'bundles the functions'}, transforms the schema) ...`,
  );
  await runBackend(
    {
      ...env,
      CDK_OUTDIR: stagingDir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      TMPDIR: tmpDir,
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    },
    log,
  );
  log(`synth: cloud assembly written (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  t0 = Date.now();
  await writeFile(path.join(stagingDir, HASH_FILE), JSON.stringify({ hash, env }, null, 2));
  await shelve(outDir);
  await rename(stagingDir, outDir);
  await cleanTransformerAssets(tmpDir);
  log(`synth: replaced ${path.relative(projectRoot, outDir)} (${Date.now() - t0} ms)`);

  const ms = Date.now() - started;
  log(`synth: done in ${(ms / 1000).toFixed(1)} s`);
  return { outDir, cached: false, ms };
};

const hashInputs = async (env: Record<string, string>): Promise<string> => {
  const hash = createHash('sha256');
  const files = [
    ...(await listFiles(path.join(projectRoot, 'amplify'))),
    path.join(projectRoot, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ];
  for (const file of files) {
    hash.update(path.relative(projectRoot, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  hash.update(JSON.stringify(Object.entries(env).sort()));
  return hash.digest('hex');
};

const listFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map(async (entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? listFiles(full) : entry.isFile() ? [full] : [];
      }),
  );
  return nested.flat().sort();
};

const readStoredHash = async (outDir: string): Promise<string | undefined> => {
  try {
    const stored = JSON.parse(await readFile(path.join(outDir, HASH_FILE), 'utf8')) as {
      hash?: unknown;
    };
    return typeof stored.hash === 'string' ? stored.hash : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Assemblies replaced by a synthesis with other inputs are kept, newest first, so that switching
 * back costs a rename instead of a minute of bundling: `npm test` synthesizes the browser tests'
 * backend with a short bank-confirmation timeout, and `npm run dev` then wants the default again.
 */
const SHELF_KEEP = 2;

export const shelfOf = (outDir: string): string =>
  path.join(
    projectRoot,
    '.tmp',
    'synth-shelf',
    createHash('sha256').update(outDir).digest('hex').slice(0, 12),
  );

/** Moves the assembly at `outDir` (if any) onto its shelf under its hash; keeps the newest few. */
export const shelve = async (outDir: string): Promise<void> => {
  if (!existsSync(outDir)) return;
  const hash = await readStoredHash(outDir);
  const shelf = shelfOf(outDir);
  if (!hash) {
    const doomed = `${outDir}.old-${process.pid}`;
    await rename(outDir, doomed);
    await rm(doomed, { recursive: true, force: true });
    return;
  }
  await mkdir(shelf, { recursive: true });
  const slot = path.join(shelf, hash);
  await rm(slot, { recursive: true, force: true });
  try {
    await rename(outDir, slot);
  } catch {
    // Another file system (an out dir under /tmp, say): not worth a copy, it is only a cache.
    await rm(outDir, { recursive: true, force: true });
    return;
  }
  const now = new Date();
  await utimes(slot, now, now);
  const kept = await Promise.all(
    (await readdir(shelf)).map(async (name) => ({
      dir: path.join(shelf, name),
      at: (await stat(path.join(shelf, name))).mtimeMs,
    })),
  );
  kept.sort((a, b) => b.at - a.at);
  for (const { dir } of kept.slice(SHELF_KEEP)) await rm(dir, { recursive: true, force: true });
};

/** Puts a shelved assembly with this hash back at `outDir` (shelving the current one). */
export const takeFromShelf = async (outDir: string, hash: string): Promise<boolean> => {
  const slot = path.join(shelfOf(outDir), hash);
  if ((await readStoredHash(slot)) !== hash) return false;
  await shelve(outDir);
  await rename(slot, outDir);
  return true;
};

/**
 * CDK bundles each function with `npx --no-install esbuild ...`, and npx costs about a second per
 * function just to start npm. This shim, first on the child's PATH, runs the project's esbuild
 * directly for exactly that call and hands anything else to the real npx.
 */
const writeNpxShim = async (tmpDir: string): Promise<string> => {
  const binDir = path.join(tmpDir, 'bin');
  await mkdir(binDir, { recursive: true });
  const esbuild = path.join(projectRoot, 'node_modules', '.bin', 'esbuild');
  const shim = path.join(binDir, 'npx');
  const realNpx = path.join(path.dirname(process.execPath), 'npx');
  await writeFile(
    shim,
    [
      '#!/bin/sh',
      `if [ "$1" = "--no-install" ] && [ "$2" = "esbuild" ] && [ -x ${JSON.stringify(esbuild)} ]; then`,
      '  shift 2',
      `  exec ${JSON.stringify(esbuild)} "$@"`,
      'fi',
      `exec ${JSON.stringify(existsSync(realNpx) ? realNpx : 'npx')} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return binDir;
};

// npm prints these for every bundled function; they say nothing about our backend.
const NOISE = /^npm warn Unknown (env|user) config "nodedir"/;

const runBackend = (env: Record<string, string>, log: (line: string) => void): Promise<void> =>
  new Promise((resolve, reject) => {
    const tsxCli = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const child = spawn(process.execPath, [tsxCli, path.join('amplify', 'backend.ts')], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const relay = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) {
        if (line.startsWith('Bundling asset ')) {
          const name = /\/([^/]+)-lambda\//.exec(line)?.[1] ?? line.slice(15);
          log(`synth:   bundling ${name}`);
        }
      }
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', (error) =>
      reject(new SynthesisError(`could not start tsx: ${error.message}`, output)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const relevant = output
        .split('\n')
        .filter((line) => !NOISE.test(line))
        .join('\n');
      reject(
        new SynthesisError(
          `tsx amplify/backend.ts failed (${signal ?? `exit ${code}`}):\n${relevant}`,
          output,
        ),
      );
    });
  });

// The GraphQL transformer leaves a transformer-assets-* folder per run in TMPDIR.
const cleanTransformerAssets = async (tmpDir: string): Promise<void> => {
  const entries = await readdir(tmpDir).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name.startsWith('transformer-assets-'))
      .map((name) => rm(path.join(tmpDir, name), { recursive: true, force: true })),
  );
};

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  synthesize({ force: process.argv.includes('--force') }).catch((error: unknown) => {
    console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
