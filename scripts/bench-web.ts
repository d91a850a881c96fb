/**
 * `npm run bench:web`: builds the storefront for production, serves it against the local backend,
 * and prints (and writes to bench-results/web.json) the first-load JS of every route, read from
 * the build's manifests, with its excess over the framework's own root files, and Lighthouse
 * scores with LCP, TBT, CLS, the LCP element's render delay and render-blocking requests for home,
 * catalog and product, each also as a ratio to the framework floor: a build of the same pages'
 * markup and stylesheet as static pages of server components only (scripts/bench/floor.ts), and
 * to the HTML-string floor, the same markup injected as one string that React never walks.
 *
 * The storefront is built while its local backend answers (scripts/e2e-server.ts with
 * E2E_NEXT_BUILD=1), so the catalog, the home grid and the product pages are prerendered into the
 * HTML as a deployed build's would be. `--build-without-backend` builds first with no backend (the
 * CI build: those parts then render at request time). `--no-build` reuses the last build; `--sizes-only` stops after the first-load JS table; `--keep-reports` writes every
 * Lighthouse report to bench-results/lighthouse/; `--runs N`
 * loads each page N times per build, interleaved, and reports medians. Each load is scored at
 * the default 4x CPU slowdown and, with `--calibrate`, again at the slowdown Lighthouse's throttling
 * docs advise for the benchmarkIndex measured in that load. `--compare <git-ref>` builds that
 * ref in a worktree and measures it in the same rounds. The machine's load average is recorded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { cpuSlowdownFor } from './bench/cpu-slowdown';
import { buildFloor, captureMarkup } from './bench/floor';
import { findChromium } from './chromium';

const projectDir = process.cwd();
const workDir = path.join(projectDir, '.tmp', 'bench-web');
const port = Number(process.env.BENCH_WEB_PORT ?? 3200);
const portBase = process.env.BENCH_WEB_LOCAL_PORT_BASE ?? '4900';
const origin = `http://localhost:${port}`;
const log = (line: string): void => console.log(`bench:web: ${line}`);

interface RouteSize {
  route: string;
  files: number;
  rawKb: number;
  gzipKb: number;
  excessKb: number;
}

interface Measurement {
  page: string;
  target: string;
  slowdown: Slowdown;
  cpuSlowdown: number;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** The LCP element's render delay from Lighthouse's LCP breakdown (observed, unthrottled). */
  lcpRenderDelayMs: number;
  /** Requests Lighthouse's render-blocking insight lists. */
  renderBlocking: number;
  benchmarkIndex: number;
  /** Accessibility, best-practices and SEO audits that did not pass: what keeps those below 100. */
  failedAudits: string[];
}

/** A build served for Lighthouse: the storefront, a compared ref, or the framework floor. */
interface Target {
  name: string;
  urlFor: (page: string) => string;
}

function build(dir = projectDir): void {
  log(
    `building ${path.relative(projectDir, dir) || 'the storefront'} for production (next build) ...`,
  );
  const t0 = Date.now();
  const result = spawnSync(
    process.execPath,
    [path.join(projectDir, 'node_modules/next/dist/bin/next'), 'build'],
    { cwd: dir, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * The JS a route's first load needs: the root main files plus its client-reference entry chunks.
 * `excessKb` is what the route adds to the framework's own root files (React, Next's runtime).
 */
function firstLoadJs(nextDir: string): { frameworkKb: number; routes: RouteSize[] } {
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
  const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;
  const frameworkGzip = buildManifest.rootMainFiles.reduce(
    (sum, file) => sum + sizeOf(file).gzip,
    0,
  );
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
      rawKb: kb(raw),
      gzipKb: kb(gzip),
      excessKb: kb(gzip - frameworkGzip),
    });
  }
  return {
    frameworkKb: kb(frameworkGzip),
    routes: routes.sort((a, b) => a.route.localeCompare(b.route)),
  };
}

async function startServer(buildFirst = false): Promise<ChildProcess> {
  log(
    `${buildFirst ? 'building with the local backend answering, then serving' : 'serving'} the build on ${origin} against a local backend on port base ${portBase} ...`,
  );
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/e2e-server.ts'], {
    cwd: projectDir,
    env: {
      ...process.env,
      PORT: String(port),
      E2E_LOCAL_PORT_BASE: portBase,
      E2E_NEXT_MODE: 'start',
      E2E_NEXT_BUILD: buildFirst ? '1' : '0',
    },
    stdio: ['ignore', buildFirst ? 'inherit' : 'pipe', 'inherit'],
    detached: true,
  });
  server.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (/ready|starting|error/i.test(line)) log(`  ${line.trim()}`);
    }
  });
  // A build on two busy cores takes minutes.
  const deadline = Date.now() + (buildFirst ? 20 : 5) * 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error('the server exited before it answered');
    const answered = await fetch(`${origin}/products`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return server;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${origin} did not answer in time`);
}

async function firstProductPath(): Promise<string> {
  const html = await (await fetch(`${origin}/products`)).text();
  const match = /href="(\/products\/[^"?#]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the catalog page links to no product');
  return match[1];
}

/** `--runs N` (default 1): Lighthouse runs per page and build, interleaved; medians are kept. */
function runsPerPage(): number {
  const at = process.argv.indexOf('--runs');
  if (at < 0) return 1;
  const runs = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 9) {
    throw new Error(`--runs takes a whole number from 1 to 9, got ${process.argv[at + 1]}`);
  }
  return runs;
}

function compareRef(): string | null {
  const at = process.argv.indexOf('--compare');
  if (at < 0) return null;
  const ref = process.argv[at + 1];
  if (!ref || ref.startsWith('--'))
    throw new Error('--compare takes a git ref, e.g. --compare main');
  return ref;
}

const load1m = (): number => Math.round(loadavg()[0]! * 100) / 100;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Lighthouse's default mobile throttling (mobileSlow4G) with the given CPU slowdown. */
const throttling = (cpuSlowdownMultiplier: number) => ({
  rttMs: 150,
  throughputKbps: 1.6 * 1024,
  requestLatencyMs: 150 * 3.75,
  downloadThroughputKbps: 1.6 * 1024 * 0.9,
  uploadThroughputKbps: 750 * 0.9,
  cpuSlowdownMultiplier,
});

/** `--keep-reports`: every Lighthouse report is written to bench-results/lighthouse/ to dig into. */
const keepReports = process.argv.includes('--keep-reports');
const reportsDir = path.join(projectDir, 'bench-results', 'lighthouse');

function saveReport(report: string | string[], name: string): void {
  mkdirSync(reportsDir, { recursive: true });
  const safe = name.replace(/[^\w.-]+/g, '_');
  let file = path.join(reportsDir, `${safe}.json`);
  for (let n = 2; existsSync(file); n++) file = path.join(reportsDir, `${safe}-${n}.json`);
  writeFileSync(file, Array.isArray(report) ? report.join('\n') : report);
}

/**
 * How a load was scored: at Lighthouse's default 4x CPU slowdown, or at the slowdown Lighthouse's
 * throttling docs advise for the benchmarkIndex measured in that same load (`--calibrate`).
 */
type Slowdown = '4x' | 'calibrated';

interface Load {
  url: string;
  target: Target;
  page: string;
  benchmarkIndex: number;
}

const lighthouseFlags = (chromePort: number) => ({
  port: chromePort,
  output: 'json' as const,
  logLevel: 'error' as const,
  onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
});

const artifactsDir = path.join(workDir, 'artifacts');
const artifactsFile = path.join(artifactsDir, 'artifacts.json');

/**
 * One Lighthouse load of a page, its artifacts (trace, network log, benchmarkIndex) saved to be
 * scored by `score`. Throttling is simulated, so the load itself runs at the machine's full speed
 * and the CPU slowdown enters only the scoring: one load serves both slowdowns.
 */
async function load(
  chromePort: number,
  target: Target,
  page: string,
  { warmUp = false } = {},
): Promise<Load> {
  const url = target.urlFor(page);
  log(
    `lighthouse ${warmUp ? '(warm-up) ' : ''}${target.name} ${page} (load average ${load1m()}) ...`,
  );
  rmSync(artifactsDir, { recursive: true, force: true });
  await lighthouse(url, {
    ...lighthouseFlags(chromePort),
    throttling: throttling(4),
    gatherMode: artifactsDir,
  });
  const artifacts = JSON.parse(readFileSync(artifactsFile, 'utf8')) as { BenchmarkIndex?: unknown };
  if (typeof artifacts.BenchmarkIndex !== 'number') {
    throw new Error(`lighthouse saved no benchmarkIndex for ${url}`);
  }
  return { url, target, page, benchmarkIndex: artifacts.BenchmarkIndex };
}

/** Lighthouse's audits over the last load's artifacts, at the given CPU slowdown. */
async function score(
  chromePort: number,
  loaded: Load,
  slowdown: Slowdown,
  cpuSlowdown: number,
): Promise<Measurement> {
  // Lighthouse refuses to score artifacts under settings other than those they were gathered
  // with. With simulated throttling the multiplier changes nothing in what was gathered, only
  // the simulation that turns the observed trace into a phone's timings, so the saved settings
  // are given the one this score uses.
  const artifacts = JSON.parse(readFileSync(artifactsFile, 'utf8')) as {
    settings: { throttling: { cpuSlowdownMultiplier: number } };
  };
  artifacts.settings.throttling.cpuSlowdownMultiplier = cpuSlowdown;
  writeFileSync(artifactsFile, JSON.stringify(artifacts));
  const run = await lighthouse(loaded.url, {
    ...lighthouseFlags(chromePort),
    throttling: throttling(cpuSlowdown),
    auditMode: artifactsDir,
  });
  if (!run) throw new Error(`lighthouse returned nothing for ${loaded.url}`);
  const { target, page } = loaded;
  if (keepReports)
    saveReport(
      run.report,
      `${target.name}-${page}-${slowdown === '4x' ? '4x' : `calibrated-${cpuSlowdown}x`}`,
    );
  const { categories, audits, environment } = run.lhr;
  const pct = (id: string): number => Math.round((categories[id]?.score ?? 0) * 100);
  const value = (id: string): number => audits[id]?.numericValue ?? Number.NaN;
  const breakdown = audits['lcp-breakdown-insight']?.details as
    { items?: { items?: { subpart?: string; duration?: number }[] }[] } | undefined;
  const renderDelay = breakdown?.items
    ?.flatMap((table) => table.items ?? [])
    .find((item) => item.subpart === 'elementRenderDelay')?.duration;
  const blocking = audits['render-blocking-insight']?.details as { items?: unknown[] } | undefined;
  const failedAudits = ['accessibility', 'best-practices', 'seo'].flatMap((category) =>
    (categories[category]?.auditRefs ?? [])
      .filter((ref) => {
        const auditScore = audits[ref.id]?.score;
        return ref.weight > 0 && typeof auditScore === 'number' && auditScore < 1;
      })
      .map((ref) => `${category}:${ref.id}`),
  );
  return {
    page,
    target: target.name,
    slowdown,
    cpuSlowdown,
    performance: pct('performance'),
    accessibility: pct('accessibility'),
    bestPractices: pct('best-practices'),
    seo: pct('seo'),
    lcpMs: Math.round(value('largest-contentful-paint')),
    tbtMs: Math.round(value('total-blocking-time')),
    cls: Math.round(value('cumulative-layout-shift') * 1000) / 1000,
    lcpRenderDelayMs: renderDelay === undefined ? Number.NaN : Math.round(renderDelay),
    renderBlocking: blocking?.items?.length ?? 0,
    benchmarkIndex: Math.round(environment.benchmarkIndex),
    failedAudits,
  };
}

/** Serves an existing build with `next start` against the storefront's local backend. */
async function serve(dir: string, servePort: number, outputsPath: string): Promise<ChildProcess> {
  const server = spawn(
    process.execPath,
    [
      path.join(projectDir, 'node_modules/next/dist/bin/next'),
      'start',
      '--port',
      String(servePort),
    ],
    {
      cwd: dir,
      env: { ...process.env, AMPLIFY_OUTPUTS_PATH: outputsPath, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start in ${dir} exited`);
    const answered = await fetch(`http://localhost:${servePort}/`).then(
      (response) => response.status < 500,
      () => false,
    );
    if (answered) return server;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`next start in ${dir} did not answer within 2 minutes`);
}

/** The ref's tree, exported (no worktree is registered), built with this checkout's packages. */
function buildRef(ref: string): { dir: string; sha: string } {
  const sha = spawnSync('git', ['rev-parse', '--short', ref], { encoding: 'utf8' }).stdout.trim();
  if (!sha) throw new Error(`--compare: no such git ref ${ref}`);
  const dir = path.join(workDir, `ref-${sha}`);
  // A commit's build does not change: one left by an earlier run is measured again.
  if (existsSync(path.join(dir, '.next', 'BUILD_ID'))) {
    log(`reusing the build of ${ref} (${sha}) in ${path.relative(projectDir, dir)}`);
    return { dir, sha };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('sh', ['-c', `git archive ${sha} | tar -x -C "${dir}"`], {
    stdio: 'inherit',
  });
  if (archive.status !== 0) throw new Error(`could not export ${ref}`);
  // Its own lockfile would make Next take the export as the workspace root, away from the
  // node_modules it resolves from (this checkout's, one level up the tree).
  rmSync(path.join(dir, 'package-lock.json'), { force: true });
  // The local backend's own dependencies (an npm workspace since issue 10) resolve from its folder.
  const localModules = path.join(projectDir, 'local', 'node_modules');
  if (existsSync(localModules) && existsSync(path.join(dir, 'local'))) {
    symlinkSync(localModules, path.join(dir, 'local', 'node_modules'));
  }
  build(dir);
  return { dir, sha };
}

const inlineCssEnabled = (): boolean =>
  /inlineCss:\s*true/.test(readFileSync(path.join(projectDir, 'next.config.ts'), 'utf8'));

async function main(): Promise<void> {
  const chromePath = findChromium();
  const runs = runsPerPage();
  const ref = compareRef();
  const calibrate = process.argv.includes('--calibrate');
  const servers: ChildProcess[] = [];
  const stopServers = () => {
    for (const server of servers.splice(0)) {
      if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    }
  };
  // A failure before Lighthouse starts (a compared ref's build, Chromium) still ends the servers.
  process.once('exit', stopServers);
  if (!process.argv.includes('--no-build')) {
    if (process.argv.includes('--build-without-backend')) build();
    else servers.push(await startServer(true));
  }
  const sizes = firstLoadJs(path.join(projectDir, '.next'));
  console.log(`\nFirst-load JS per route (gzip -9; framework root files ${sizes.frameworkKb} KB)`);
  console.table(sizes.routes);
  const compared = ref ? buildRef(ref) : null;
  const refSizes = compared ? firstLoadJs(path.join(compared.dir, '.next')) : null;
  if (refSizes) {
    console.log(`\nFirst-load JS per route of ${ref} (${compared?.sha})`);
    console.table(refSizes.routes);
  }
  if (process.argv.includes('--sizes-only')) return stopServers();

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
    if (servers.length === 0) servers.push(await startServer());
    const outputsPath = path.join(projectDir, '.tmp', `e2e-${portBase}`, 'amplify_outputs.json');
    const productPath = await firstProductPath();
    const paths: Record<string, string> = { home: '/', catalog: '/products', product: productPath };
    const pages = Object.keys(paths);
    const targets: Target[] = [{ name: 'this build', urlFor: (page) => `${origin}${paths[page]}` }];
    if (compared) {
      servers.push(await serve(compared.dir, port + 1, outputsPath));
      targets.push({
        name: `${ref} (${compared.sha})`,
        urlFor: (page) => `http://localhost:${port + 1}${paths[page]}`,
      });
    }
    log('building the framework floor from the served pages ...');
    const markup = await captureMarkup(
      pages.map((page) => ({ page, url: `${origin}${paths[page]}` })),
      chromePath,
    );
    const floorDir = path.join(workDir, 'floor');
    buildFloor({ dir: floorDir, projectDir, markup, inlineCss: inlineCssEnabled() });
    servers.push(await serve(floorDir, port + 2, outputsPath));
    // The framework floor: the same markup rendered by server components, hydrated element by
    // element as any React page is. The HTML-string floor (one element to hydrate) is measured
    // beside it as the lower bound no React page reaches.
    const floor: Target = {
      name: 'floor',
      urlFor: (page) => `http://localhost:${port + 2}/floor-tree/${page}`,
    };
    const htmlFloor: Target = {
      name: 'html floor',
      urlFor: (page) => `http://localhost:${port + 2}/floor/${page}`,
    };
    targets.push(floor, htmlFloor);
    // Warm-up: every page of every build once, so no run measures a first render.
    for (const target of targets) for (const page of pages) await fetch(target.urlFor(page));

    // One unmeasured Lighthouse pass per page and build: in earlier runs the first round of every
    // build, the floor's included, scored 10-20 points under the later ones (Chromium and the
    // servers warming up), which decided medians of 3 more than the builds did.
    log('warming up: one unmeasured Lighthouse load per page and build ...');
    for (const target of targets)
      for (const page of pages) await load(chrome.port, target, page, { warmUp: true });

    const slowdowns: Slowdown[] = calibrate ? ['4x', 'calibrated'] : ['4x'];
    const loadBefore = load1m();
    const all: Measurement[] = [];
    for (let round = 0; round < runs; round++) {
      // Interleaved, and in turn reversed, so no build always runs first on a warming machine.
      const order = round % 2 ? [...targets].reverse() : targets;
      for (const page of pages) {
        for (const target of order) {
          const loaded = await load(chrome.port, target, page);
          all.push(await score(chrome.port, loaded, '4x', 4));
          // This machine's benchmarkIndex moves from about 1200 to 2500 between loads minutes
          // apart (other work on its two cores), and a load's scores move with it. The slowdown
          // is chosen from the index Lighthouse measured for this load, as its throttling docs
          // advise for a device, rather than once for the whole run.
          if (calibrate) {
            const { multiplier } = cpuSlowdownFor(loaded.benchmarkIndex);
            all.push(await score(chrome.port, loaded, 'calibrated', multiplier));
          }
        }
      }
    }
    const loadAverage = { beforeLighthouse: loadBefore, afterLighthouse: load1m() };

    const calibrated = all.filter((m) => m.slowdown === 'calibrated').map((m) => m.cpuSlowdown);
    const calibration = calibrated.length
      ? {
          perLoad: true,
          medianMultiplier: median(calibrated),
          minMultiplier: Math.min(...calibrated),
          maxMultiplier: Math.max(...calibrated),
        }
      : null;
    const summary = slowdowns.flatMap((slowdown) =>
      pages.flatMap((page) =>
        targets.map((target) => {
          const of = (t: Target) =>
            all.filter((m) => m.slowdown === slowdown && m.page === page && m.target === t.name);
          const runsHere = of(target);
          const floorRuns = of(floor);
          const htmlFloorRuns = of(htmlFloor);
          const med = (key: keyof Measurement, list = runsHere) =>
            median(list.map((m) => m[key] as number));
          const ratio = (key: keyof Measurement, against = floorRuns) =>
            Math.round((med(key) / med(key, against)) * 100) / 100;
          return {
            cpu: slowdown === '4x' ? '4x' : `per load ${med('cpuSlowdown')}x`,
            page,
            build: target.name,
            performance: med('performance'),
            'perf/floor': ratio('performance'),
            'perf/html floor': ratio('performance', htmlFloorRuns),
            tbtMs: med('tbtMs'),
            'tbt/floor': ratio('tbtMs'),
            lcpMs: med('lcpMs'),
            'lcp/floor': ratio('lcpMs'),
            cls: med('cls'),
            lcpRenderDelayMs: med('lcpRenderDelayMs'),
            renderBlocking: med('renderBlocking'),
            a11y: med('accessibility'),
            bestPractices: med('bestPractices'),
            seo: med('seo'),
            runs: runsHere
              .map((m) =>
                slowdown === '4x' ? `${m.performance}` : `${m.performance}@${m.cpuSlowdown}`,
              )
              .join(' '),
          };
        }),
      ),
    );
    const failing = new Map<string, Set<string>>();
    for (const m of all) {
      for (const audit of m.failedAudits) {
        const key = `${m.target} ${m.page}`;
        failing.set(key, (failing.get(key) ?? new Set()).add(audit));
      }
    }
    const benchmarkIndex = median(all.map((m) => m.benchmarkIndex));
    console.log(
      `\nLighthouse, medians of ${runs} interleaved run(s) per page and build (mobile profile, simulated throttling)`,
    );
    console.table(summary);
    log(
      `benchmarkIndex median ${benchmarkIndex} (${Math.min(...all.map((m) => m.benchmarkIndex))}-${Math.max(...all.map((m) => m.benchmarkIndex))})${calibration ? `; CPU slowdown chosen per load from its benchmarkIndex: median ${calibration.medianMultiplier}x (${calibration.minMultiplier}-${calibration.maxMultiplier}x)` : ''}`,
    );
    for (const [where, audits] of failing)
      log(`audits not passed, ${where}: ${[...audits].join(', ')}`);
    log(
      `load average (1 min) ${loadAverage.beforeLighthouse} before Lighthouse, ${loadAverage.afterLighthouse} after`,
    );
    const outDir = path.join(projectDir, 'bench-results');
    mkdirSync(outDir, { recursive: true });
    const report = {
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      loadAverage,
      benchmarkIndex,
      calibration,
      runsPerPage: runs,
      firstLoadJs: sizes,
      compared: compared ? { ref, sha: compared.sha, firstLoadJs: refSizes } : null,
      lighthouse: summary,
      measurements: all,
    };
    writeFileSync(path.join(outDir, 'web.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${path.relative(projectDir, path.join(outDir, 'web.json'))}`);
  } finally {
    chrome.kill();
    stopServers();
  }
}

main().catch((error: unknown) => {
  console.error(
    `bench:web failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
