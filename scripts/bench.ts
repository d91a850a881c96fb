/**
 * `npm run bench -- [orders] [concurrency]`: starts its own local backend (`npm run local` on port
 * base 5200 with a fresh state folder), drives orders through it as shoppers do (placeOrder through
 * the real aws-amplify client, every status change followed over onUpdateOrder), and prints (and
 * writes to bench-results/orders.json) orders per second, placeOrder -> COMPLETED percentiles,
 * status change -> subscriber percentiles, failures and peak memory. See USAGE in bench/options.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectBackend, type Backend } from '../tests/support/backend';
import {
  LocalBackendError,
  peakRssMiBOf,
  startLocalBackend,
  type LocalBackendChild,
} from './bench/local-backend';
import { BenchUsageError, parseBenchArgs, type BenchOptions } from './bench/options';
import { orderFigures, summaryTable } from './bench/report';
import { runOrders } from './bench/run';

const projectDir = path.resolve(import.meta.dirname, '..');
const log = (line: string): void => console.log(`bench: ${line}`);

let stopBackend: (() => Promise<void>) | undefined;
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
      .finally(() => process.exit(130));
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

async function bench(options: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  log(
    `${options.orders} orders, concurrency ${options.concurrency}, ${options.shoppers} shoppers ` +
      `(Node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAtStart.join(' ')})`,
  );
  log(`starting the local backend (npm run local, port base ${options.portBase}) ...`);
  const t0 = Date.now();
  const child: LocalBackendChild = await startLocalBackend({
    projectDir,
    portBase: options.portBase,
    log: (line) => log(`  ${line}`),
    onSpawn: (stop) => (stopBackend = stop),
  });
  const startSeconds = (Date.now() - t0) / 1000;
  log(`backend ready in ${startSeconds.toFixed(1)} s (pid ${child.pid})`);

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

    const outcome = await runOrders(backend, options, { log, backendDied });
    const memory = { backendPeakRssMiB: child.peakRssMiB(), benchPeakRssMiB: peakRssMiBOf('self') };
    const figures = orderFigures(outcome.records, options);
    const warmups = outcome.records.filter((r) => r.warmup);

    const results = {
      benchmark: 'orders through the local backend',
      startedAt: startedAt.toISOString(),
      machine: { ...machine(), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAverage() },
      parameters: options,
      backend: { startSeconds: Number(startSeconds.toFixed(1)), pid: child.pid },
      ...figures,
      stockLeft: outcome.stockLeft,
      warmupOrdersMs: warmups.map((r) =>
        r.endedAt === null ? null : Math.round(r.endedAt - r.placeCalledAt),
      ),
      memory,
      error: outcome.error?.message ?? null,
    };
    mkdirSync(path.dirname(options.jsonPath), { recursive: true });
    writeFileSync(options.jsonPath, `${JSON.stringify(results, null, 2)}\n`);

    console.log(
      `\nOrders through the local backend: ${options.orders} orders, concurrency ` +
        `${options.concurrency}, ${options.shoppers} shoppers, Node ${process.version}, ` +
        `${os.cpus().length} CPUs\n`,
    );
    console.log(summaryTable(figures, memory));
    if (figures.failures.length > 0) {
      console.log(`\nOrders not COMPLETED (${figures.failures.length}):`);
      for (const f of figures.failures.slice(0, 20))
        console.log(`  #${f.index} ${f.orderId ?? '(no order)'}: ${f.reason}`);
      if (figures.failures.length > 20)
        console.log(`  ... and ${figures.failures.length - 20} more in the JSON file`);
    }
    console.log(`\nwritten to ${path.relative(process.cwd(), options.jsonPath)}`);
    if (outcome.error) {
      console.error(`\nbench: stopped: ${outcome.error.message}`);
      return 1;
    }
    return figures.failures.length > 0 ? 1 : 0;
  } finally {
    backend?.close();
    log('stopping the local backend ...');
    await child.stop();
  }
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
