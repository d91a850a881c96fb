/**
 * `npm run bench -- [orders] [concurrency]`: starts its own local backend (`npm run local` on port
 * base 5200 with a fresh state folder), drives orders through it as shoppers do (placeOrder through
 * the real aws-amplify client, every status change followed over onUpdateOrder), and prints (and
 * writes to bench-results/orders.json) orders per second, placeOrder -> COMPLETED percentiles,
 * status change -> subscriber percentiles, failures, peak memory, CPU per order and the backend's
 * main-loop utilisation. `--compare <git-ref>` runs the same workload against that ref too, back to
 * back, and prints the ratios. See USAGE in bench/options.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectBackend, type Backend } from '../tests/support/backend';
import { compareTable, type RunFigures } from './bench/compare';
import {
  LocalBackendError,
  loopUtilisation,
  peakRssMiBOf,
  startLocalBackend,
  type LocalBackendChild,
  type LoopSample,
} from './bench/local-backend';
import { BenchUsageError, parseBenchArgs, type BenchOptions } from './bench/options';
import { checkoutRef, type RefTree } from './bench/ref-tree';
import { orderFigures, summaryTable } from './bench/report';
import { runOrders } from './bench/run';

const projectDir = path.resolve(import.meta.dirname, '..');
const log = (line: string): void => console.log(`bench: ${line}`);

let stopBackend: (() => Promise<void>) | undefined;
let refTree: RefTree | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the local backend ...`);
    void (stopBackend?.() ?? Promise.resolve())
      .then(
        () => log('local backend stopped'),
        (error: unknown) => log(`stopping the local backend failed: ${String(error)}`),
      )
      .finally(() => {
        refTree?.remove();
        process.exit(130);
      });
    setTimeout(() => process.exit(130), 15_000).unref();
  });
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
  };
}

const loadAverage = (): number[] => os.loadavg().map((x) => Number(x.toFixed(2)));

/** One run of the workload against the backend of one tree. */
async function benchOnce(
  tree: { dir: string; label: string },
  options: BenchOptions,
): Promise<RunFigures> {
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  log(
    `[${tree.label}] ${options.orders} orders, concurrency ${options.concurrency}, ` +
      `${options.shoppers} shoppers (Node ${process.version}, ${os.cpus().length} CPUs, ` +
      `load average ${loadAtStart.join(' ')})`,
  );
  log(`[${tree.label}] starting the local backend (port base ${options.portBase}) ...`);
  const t0 = Date.now();
  const child: LocalBackendChild = await startLocalBackend({
    projectDir: tree.dir,
    portBase: options.portBase,
    log: (line) => log(`  ${line}`),
    onSpawn: (stop) => (stopBackend = stop),
  });
  const startSeconds = (Date.now() - t0) / 1000;
  log(`[${tree.label}] backend ready in ${startSeconds.toFixed(1)} s (pid ${child.pid})`);

  let backend: Backend | undefined;
  try {
    backend = await connectBackend(child.outputsFile);
    const backendDied = new Promise<never>((_, reject) => {
      const watch = setInterval(() => {
        const exited = child.exited();
        if (exited) {
          clearInterval(watch);
          reject(new LocalBackendError(`The local backend stopped during the run: ${exited}`));
        }
      }, 500);
      watch.unref();
    });
    backendDied.catch(() => undefined);

    let cpuAtStart: number | null = null;
    let loopAtStart: LoopSample | null = null;
    const outcome = await runOrders(backend, options, {
      log,
      backendDied,
      onMeasuredStart: () => {
        cpuAtStart = child.cpuMs();
        loopAtStart = child.loop();
      },
    });
    // The probe reports every 250 ms: wait for a sample that covers the end of the run.
    await new Promise((r) => setTimeout(r, 300));
    const cpuAtEnd = child.cpuMs();
    const memory = { backendPeakRssMiB: child.peakRssMiB(), benchPeakRssMiB: peakRssMiBOf('self') };
    const figures = orderFigures(outcome.records, options);
    const warmups = outcome.records.filter((r) => r.warmup);
    const backendCpu = {
      cpuMsPerOrder:
        cpuAtStart === null || cpuAtEnd === null
          ? null
          : Math.round((cpuAtEnd - cpuAtStart) / options.orders),
      mainLoopUtilisation: loopUtilisation(loopAtStart, child.loop()),
    };
    const loadAtEnd = loadAverage();

    const results = {
      benchmark: 'orders through the local backend',
      tree: tree.label,
      startedAt: startedAt.toISOString(),
      machine: { ...machine(), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd },
      parameters: options,
      backend: { startSeconds: Number(startSeconds.toFixed(1)), pid: child.pid },
      ...figures,
      stockLeft: outcome.stockLeft,
      warmupOrdersMs: warmups.map((r) =>
        r.endedAt === null ? null : Math.round(r.endedAt - r.placeCalledAt),
      ),
      memory,
      backendCpu,
      error: outcome.error?.message ?? null,
    };

    console.log(
      `\n[${tree.label}] Orders through the local backend: ${options.orders} orders, concurrency ` +
        `${options.concurrency}, ${options.shoppers} shoppers, Node ${process.version}, ` +
        `${os.cpus().length} CPUs, load average ${loadAtStart.join(' ')} -> ${loadAtEnd.join(' ')}\n`,
    );
    console.log(summaryTable(figures, memory, backendCpu));
    if (figures.failures.length > 0) {
      console.log(`\nOrders not COMPLETED (${figures.failures.length}):`);
      for (const f of figures.failures.slice(0, 20))
        console.log(`  #${f.index} ${f.orderId ?? '(no order)'}: ${f.reason}`);
      if (figures.failures.length > 20)
        console.log(`  ... and ${figures.failures.length - 20} more in the JSON file`);
    }
    if (outcome.error) console.error(`\nbench: [${tree.label}] stopped: ${outcome.error.message}`);
    return {
      label: tree.label,
      results,
      figures,
      memory,
      backendCpu,
      load: { atStart: loadAtStart, atEnd: loadAtEnd },
      stockLeft: outcome.stockLeft,
      ok: outcome.error === null && figures.failures.length === 0,
    };
  } finally {
    backend?.close();
    log(`[${tree.label}] stopping the local backend ...`);
    await child.stop();
  }
}

async function bench(options: BenchOptions): Promise<number> {
  const here = { dir: projectDir, label: 'this tree' };
  const runs: RunFigures[] = [];
  if (options.compare === null) {
    runs.push(await benchOnce(here, options));
  } else {
    refTree = checkoutRef(projectDir, options.compare, log);
    const other = { dir: refTree.dir, label: `${options.compare} (${refTree.commit.slice(0, 7)})` };
    try {
      for (let round = 0; round < options.rounds; round++) {
        // Alternate which tree goes first, so a drift in the machine's load favours neither.
        const order = round % 2 === 0 ? [other, here] : [here, other];
        for (const tree of order) runs.push(await benchOnce(tree, options));
      }
    } finally {
      refTree.remove();
      refTree = undefined;
    }
  }

  mkdirSync(path.dirname(options.jsonPath), { recursive: true });
  const json =
    options.compare === null
      ? runs[0]?.results
      : {
          benchmark: 'orders through the local backend, compared',
          compare: options.compare,
          comparison: compareTable(runs, here.label).rows,
          runs: runs.map((r) => r.results),
        };
  writeFileSync(options.jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  if (options.compare !== null) {
    console.log(
      `\nThis tree / ${options.compare}: ${options.orders} orders, concurrency ` +
        `${options.concurrency}, ${options.rounds} round(s), medians per tree; ` +
        `1-minute load average at each run's start: ` +
        `${runs.map((r) => `${r.label} ${r.load.atStart[0]}`).join(', ')}\n`,
    );
    console.log(compareTable(runs, here.label).text);
  }
  console.log(`\nwritten to ${path.relative(process.cwd(), options.jsonPath)}`);
  return runs.every((r) => r.ok) ? 0 : 1;
}

let code: number;
try {
  code = await bench(parseBenchArgs(process.argv.slice(2), process.env));
} catch (error) {
  if (error instanceof BenchUsageError) {
    console.error(error.message);
    code = 2;
  } else {
    console.error(`bench: failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
}
// Sockets of the realtime client may keep the event loop alive: the run is over.
process.exit(code);
