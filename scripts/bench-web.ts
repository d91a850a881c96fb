/**
 * `npm run bench:web`: builds the storefront for production, serves it against the local backend,
 * and prints (and writes to bench-results/web.json) the first-load JS of every route, read from
 * the build's manifests, and Lighthouse scores with LCP, TBT and CLS for home, catalog and product.
 * `--no-build` reuses the last build; `--sizes-only` stops after the first-load JS table; `--runs N`
 * runs Lighthouse N times per page and keeps the median run. The machine's load average is recorded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { findChromium } from './chromium';

const projectDir = process.cwd();
const nextDir = path.join(projectDir, '.next');
const port = Number(process.env.BENCH_WEB_PORT ?? 3200);
const portBase = process.env.BENCH_WEB_LOCAL_PORT_BASE ?? '4900';
const origin = `http://localhost:${port}`;
const log = (line: string): void => console.log(`bench:web: ${line}`);

interface RouteSize {
  route: string;
  files: number;
  rawKb: number;
  gzipKb: number;
}

interface PageScore {
  page: string;
  url: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** Performance of every run when there were several (the figures above are the median run's). */
  runs?: number[];
}

function build(): void {
  log('building for production (next build) ...');
  const t0 = Date.now();
  const result = spawnSync(
    process.execPath,
    [path.join(projectDir, 'node_modules/next/dist/bin/next'), 'build'],
    { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The JS a route's first load needs: the root main files plus its client-reference entry chunks. */
function firstLoadJs(): RouteSize[] {
  const buildManifest = JSON.parse(
    readFileSync(path.join(nextDir, 'build-manifest.json'), 'utf8'),
  ) as { rootMainFiles: string[] };
  const appPaths = JSON.parse(
    readFileSync(path.join(nextDir, 'server/app-paths-manifest.json'), 'utf8'),
  ) as Record<string, string>;
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string): { raw: number; gzip: number } => {
    const known = sizes.get(file);
    if (known) return known;
    const bytes = readFileSync(path.join(nextDir, file.replace(/^\/_next\//, '')));
    const measured = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    sizes.set(file, measured);
    return measured;
  };
  const routes: RouteSize[] = [];
  for (const [page, serverFile] of Object.entries(appPaths)) {
    // Route handlers (route.js) ship no client JS; only pages have a client-reference manifest.
    if (page.startsWith('/_') || !serverFile.endsWith('page.js')) continue;
    const manifestFile = path.join(
      nextDir,
      'server',
      serverFile.replace(/page\.js$/, 'page_client-reference-manifest.js'),
    );
    if (!existsSync(manifestFile)) continue;
    const holder: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } =
      {};
    new Function('globalThis', readFileSync(manifestFile, 'utf8'))(holder);
    const manifest = Object.values(holder.__RSC_MANIFEST ?? {})[0];
    const files = new Set(buildManifest.rootMainFiles);
    for (const chunkList of Object.values(manifest?.entryJSFiles ?? {})) {
      for (const file of chunkList) files.add(file);
    }
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const size = sizeOf(file);
      raw += size.raw;
      gzip += size.gzip;
    }
    routes.push({
      route: page.replace(/\/page$/, '').replace(/\/\([^/)]+\)/g, '') || '/',
      files: files.size,
      rawKb: Math.round(raw / 102.4) / 10,
      gzipKb: Math.round(gzip / 102.4) / 10,
    });
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

async function startServer(): Promise<ChildProcess> {
  log(`serving the build on ${origin} against a local backend on port base ${portBase} ...`);
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/e2e-server.ts'], {
    cwd: projectDir,
    env: {
      ...process.env,
      PORT: String(port),
      E2E_LOCAL_PORT_BASE: portBase,
      E2E_NEXT_MODE: 'start',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  server.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (/ready|starting|error/i.test(line)) log(`  ${line.trim()}`);
    }
  });
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error('the server exited before it answered');
    const answered = await fetch(`${origin}/products`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return server;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${origin} did not answer within 5 minutes`);
}

async function firstProductUrl(): Promise<string> {
  const html = await (await fetch(`${origin}/products`)).text();
  const match = /href="(\/products\/[^"?#]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the catalog page links to no product');
  return `${origin}${match[1]}`;
}

/** `--runs N` (default 1): Lighthouse runs per page; the run with the median performance is kept. */
function runsPerPage(): number {
  const at = process.argv.indexOf('--runs');
  if (at < 0) return 1;
  const runs = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 9) {
    throw new Error(`--runs takes a whole number from 1 to 9, got ${process.argv[at + 1]}`);
  }
  return runs;
}

const load1m = (): number => Math.round(loadavg()[0]! * 100) / 100;

async function score(
  pages: { page: string; url: string }[],
  chromePort: number,
  runs: number,
): Promise<PageScore[]> {
  const results: PageScore[] = [];
  for (const { page, url } of pages) {
    // One warm-up load so the measurement is of the served page, not Next's first compile.
    await fetch(url);
    const attempts: PageScore[] = [];
    for (let attempt = 1; attempt <= runs; attempt++) {
      log(`lighthouse ${url} (run ${attempt}/${runs}, load average ${load1m()}) ...`);
      const run = await lighthouse(url, {
        port: chromePort,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      if (!run) throw new Error(`lighthouse returned nothing for ${url}`);
      const { categories, audits } = run.lhr;
      const pct = (id: string): number => Math.round((categories[id]?.score ?? 0) * 100);
      const value = (id: string): number => audits[id]?.numericValue ?? Number.NaN;
      attempts.push({
        page,
        url,
        performance: pct('performance'),
        accessibility: pct('accessibility'),
        bestPractices: pct('best-practices'),
        seo: pct('seo'),
        lcpMs: Math.round(value('largest-contentful-paint')),
        tbtMs: Math.round(value('total-blocking-time')),
        cls: Math.round(value('cumulative-layout-shift') * 1000) / 1000,
      });
    }
    const ranked = [...attempts].sort((a, b) => a.performance - b.performance);
    const median = ranked[Math.floor((ranked.length - 1) / 2)]!;
    results.push({ ...median, runs: attempts.map((a) => a.performance) });
  }
  return results;
}

async function main(): Promise<void> {
  const chromePath = findChromium();
  const runs = runsPerPage();
  if (!process.argv.includes('--no-build')) build();
  const routes = firstLoadJs();
  console.log('\nFirst-load JS per route (from the build manifests)');
  console.table(routes);
  if (process.argv.includes('--sizes-only')) return;

  const server = await startServer();
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const pages = [
      { page: 'home', url: `${origin}/` },
      { page: 'catalog', url: `${origin}/products` },
      { page: 'product', url: await firstProductUrl() },
    ];
    const loadBefore = load1m();
    const scores = await score(pages, chrome.port, runs);
    const loadAverage = { beforeLighthouse: loadBefore, afterLighthouse: load1m() };
    console.log('\nLighthouse (default mobile profile, simulated throttling)');
    console.table(
      scores.map(({ url: _url, runs: all, ...rest }) => ({ ...rest, runs: all?.join(' ') })),
    );
    log(
      `load average (1 min) ${loadAverage.beforeLighthouse} before Lighthouse, ${loadAverage.afterLighthouse} after`,
    );
    const outDir = path.join(projectDir, 'bench-results');
    mkdirSync(outDir, { recursive: true });
    const report = {
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      loadAverage,
      runsPerPage: runs,
      firstLoadJs: routes,
      lighthouse: scores,
    };
    writeFileSync(path.join(outDir, 'web.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${path.relative(projectDir, path.join(outDir, 'web.json'))}`);
  } finally {
    chrome.kill();
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(
    `bench:web failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
