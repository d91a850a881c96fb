/**
 * The local backend the bench runs against: `npm run local` started as a child (the real node
 * process running local/main.ts, so its pid is the one whose memory we read), its `ready` line
 * parsed, and a stop that always ends it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The backend did not start, or died while the bench ran. */
export class LocalBackendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalBackendError';
  }
}

export interface LocalBackendChild {
  pid: number;
  urls: Record<string, string>;
  outputsFile: string;
  /** The child's resident memory high-water mark so far (VmHWM), in MiB. */
  peakRssMiB(): number | null;
  /** CPU time the child used so far, every thread (the functions' workers too), in ms. */
  cpuMs(): number | null;
  /** The main thread's event loop so far (cumulative idle and active ms), from the loop probe. */
  loop(): LoopSample | null;
  /** Whether it exited (and how) before being asked to stop. */
  exited(): string | null;
  /** Ends it (SIGTERM, then SIGKILL after 10 s) and removes its state folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Reads VmHWM (peak resident set) of a process from /proc, in MiB; null where there is no /proc. */
export function peakRssMiBOf(pid: number | 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** Cumulative event-loop time of the backend's main thread, as the loop probe last reported it. */
export interface LoopSample {
  idle: number;
  active: number;
}

/** Share of the time between two samples the loop was busy (0..1); null without both. */
export function loopUtilisation(from: LoopSample | null, to: LoopSample | null): number | null {
  if (!from || !to) return null;
  const active = to.active - from.active;
  const total = active + to.idle - from.idle;
  return total > 0 ? Number((active / total).toFixed(3)) : null;
}

/** CPU time (user + system, every thread) of a process from /proc, in ms; null without /proc. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on Linux.
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

const LOOP_PROBE = path.join(import.meta.dirname, 'loop-probe.mjs');

const READY_TIMEOUT_MS = 10 * 60 * 1000;

/** Starts `npm run local` on this port base with a fresh state folder and waits for `ready`. */
export async function startLocalBackend(options: {
  projectDir: string;
  portBase: number;
  log: (line: string) => void;
  /** Called with the child once spawned, so an interrupt during start-up can still stop it. */
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<LocalBackendChild> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'storefront-bench-'));
  const outputsFile = path.join(stateDir, 'amplify_outputs.json');
  // node --import tsx (not the tsx CLI, which would run main.ts in a second process). Extra node
  // flags (e.g. --cpu-prof, which NODE_OPTIONS refuses) come from BENCH_BACKEND_NODE_ARGS.
  // The loop probe comes from this tree, so a compared ref is measured the same way.
  const nodeArgs = (process.env['BENCH_BACKEND_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', LOOP_PROBE, '--import', 'tsx', 'local/main.ts'],
    {
      cwd: options.projectDir,
      // No pre-warming: functions load on their first call, as they do in `npm run dev`.
      env: {
        ...process.env,
        LOCAL_PORT_BASE: String(options.portBase),
        LOCAL_STATE_DIR: stateDir,
        LOCAL_OUTPUTS_FILE: outputsFile,
        LOCAL_LAMBDA_PREWARM: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  let exitedEarly: string | null = null;
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    exitedEarly ??= `exited with ${signal ?? `code ${code}`}`;
  });
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await endProcess(child);
      rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
    })());
  options.onSpawn?.(stop);
  // Last resort if the bench itself ends abruptly: never leave the backend running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  let urls: Record<string, string>;
  try {
    urls = await waitForReady(child, output, options.log);
  } catch (error) {
    await stop();
    throw new LocalBackendError(
      `npm run local did not start: ${(error as Error).message}\n${output.slice(-40).join('')}`,
      { cause: error },
    );
  }
  // After start, keep only the tail of the engines' logs, for an error report, and the loop
  // probe's latest sample.
  let lastLoop: LoopSample | null = null;
  const keepTail = (chunk: Buffer): void => {
    const text = chunk.toString('utf8').replace(/^bench-loop (\{.*\})\n/gm, (_, json: string) => {
      lastLoop = JSON.parse(json) as LoopSample;
      return '';
    });
    if (text) output.push(text);
    if (output.length > 200) output.splice(0, output.length - 100);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const pid = child.pid as number;
  return {
    pid,
    urls,
    outputsFile,
    peakRssMiB: () => peakRssMiBOf(pid),
    cpuMs: () => cpuMsOf(pid),
    loop: () => lastLoop,
    exited: () =>
      stopping ? null : exitedEarly && `${exitedEarly}\n${output.slice(-40).join('')}`,
    stop,
  };
}

async function endProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

function waitForReady(
  child: ChildProcess,
  output: string[],
  log: (line: string) => void,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`no ready line within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output.push(text);
      buffer += text;
      // Synthesis is the slow part of a cold start: say so rather than sit silent.
      if (/synth/i.test(text) && !/cached|using the cloud assembly/i.test(text))
        for (const line of text.split('\n').filter((l) => /synth/i.test(l))) log(line.trim());
      const match = /^ready (\{.*\})$/m.exec(buffer);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onError);
        child.off('exit', onExit);
        resolve(JSON.parse(match[1]) as Record<string, string>);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(new Error(`it exited with ${signal ?? `code ${code}`}`));
    };
    child.stdout?.on('data', onData);
    const onError = (chunk: Buffer): number => output.push(chunk.toString('utf8'));
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}
