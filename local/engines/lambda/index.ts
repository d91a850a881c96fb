/**
 * Local Lambda: runs the functions' bundled handlers from cdk.out in a small pool of worker threads
 * they share (each bundle loaded once per worker on its first call, so module state is per
 * function, as with Lambda); every invocation sees its own function's template environment,
 * resolved to the local endpoints, as process.env (worker.mjs), with its configured timeout
 * enforced. `invoke(name, event)` is what AppSync, the SQS event source mappings and Step Functions
 * call.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { FunctionModel } from '../../assembly';
import type { Engine } from '../kit/engine';
import type { LambdaFault, LambdaFaults } from './faults';
import { formatFunctionLog } from './log-line';

export interface LambdaEngineOptions {
  functions: FunctionModel[];
  /** Settings every function gets on top of its template environment (endpoints, credentials). */
  commonEnvironment: Record<string, string>;
  /** Prints a function's log lines; defaults to stdout, shortened by log-line.ts unless LOCAL_VERBOSE=1. */
  log?: (functionName: string, line: string) => void;
  /** Test hook: armed faults make invocations fail before, or right after, the handler runs (see faults.ts). */
  faults?: LambdaFaults;
  /**
   * How long a worker may sit unused (none of its functions invoked) before it is shut down, as
   * Lambda reclaims idle execution environments; the next invocation loads its function afresh.
   * 0 or absent keeps workers for good.
   */
  idleMs?: number;
  /**
   * How many worker threads the functions share (LOCAL_LAMBDA_WORKERS, default 1); 0 gives each
   * function a worker of its own.
   */
  workers?: number;
}

/**
 * Workers the functions share unless told otherwise. Handlers mostly wait on I/O and the main
 * event loop (the engines) is the bottleneck, so one worker carries them all: measured against two
 * (bench, one shopper and 30 in flight), it held about 70 MiB less and gave the same or better
 * throughput and CPU per order. A function's CPU-heavy moment (a bundle loading, a large receipt)
 * does hold up the others in that worker; LOCAL_LAMBDA_WORKERS=2 spreads them again.
 */
export const DEFAULT_WORKERS = 1;

/** The error an invocation rejects with; `name` is the handler's error type (what SFN matches). */
export class LambdaInvocationError extends Error {
  constructor(
    name: string,
    message: string,
    readonly functionName: string,
    readonly trace: string[] = [],
  ) {
    super(message);
    this.name = name;
  }
}

/** The error an armed fault makes an invocation fail with. */
/** Plays an armed fault at its moment: waits its delay, then throws its error if it has one. */
async function actOut(fault: LambdaFault, functionName: string): Promise<void> {
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.errorName) throw faultError(fault, fault.errorName, functionName);
}

const faultError = (
  fault: LambdaFault,
  errorName: string,
  functionName: string,
): LambdaInvocationError =>
  new LambdaInvocationError(
    errorName,
    fault.message ??
      `Fault injected into ${functionName} ${fault.when === 'after' ? 'after' : 'before'} its handler ran, through /_local/faults`,
    functionName,
  );

export class UnknownFunctionError extends Error {
  constructor(readonly functionName: string) {
    super(`Function not found: ${functionName}`);
    this.name = 'ResourceNotFoundException';
  }
}

/** The functions, run in-process: no HTTP endpoint of its own (`url` is `(in-process)`). */
export interface LambdaEngine extends Engine {
  /** Invokes a function by Amplify name, physical name or ARN; resolves with its JSON result. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Loads every function's bundle ahead of its first invocation, one after another. */
  warmAll(): Promise<void>;
  /** Finds a function by Amplify name, physical name or ARN (with or without qualifier). */
  find(functionName: string): FunctionModel | undefined;
  functions: FunctionModel[];
}

interface Pending {
  fn: FunctionModel;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  onStarted: () => void;
}

/** Longest a bundle may take to load (Lambda's init phase), on a machine shared with others. */
const INIT_TIMEOUT_MS = 60_000;

type WorkerReply =
  | { id: string; warmed: true }
  | { id: string; started: true }
  | { id: string; ok: true; result: unknown }
  | { id: string; ok: false; error: { errorType: string; errorMessage: string; trace: string[] } }
  | { log: string | null; line: string }
  | {
      crashed: {
        fn: string | null;
        invocationId: string | null;
        errorType: string;
        errorMessage: string;
        trace: string[];
      };
    }
  | { exiting: { fn: string | null; invocationId: string | null; code: number } };

/**
 * The backend's node flags minus its module hooks (`--import tsx`, the bench's probes): the
 * bundles are plain JavaScript, and tsx in a worker would also turn on source maps there, parsing
 * each bundle's 6-11 MB map on load (CPU and memory) although the templates do not ask for them.
 * Flags such as --cpu-prof still reach the workers.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const hooks = /^--(?:import|require|loader|experimental-loader)(?:=|$)/;
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i += 1) {
    const arg = execArgv[i] as string;
    if (!hooks.test(arg)) kept.push(arg);
    else if (!arg.includes('=')) i += 1;
  }
  return kept.filter((arg) => arg !== '--enable-source-maps');
}

/** Who ended a worker (process.exit in a function's code), as the worker reported it. */
interface Culprit {
  fn: string | null;
  invocationId: string | null;
}

/**
 * One worker thread hosting the functions placed on it, each bundle loaded on its first call (see
 * worker.mjs for how each invocation sees its own function's process.env and log). A retired
 * worker takes no new work and ends once the invocations in flight in it have finished.
 */
class PoolWorker {
  readonly worker: Worker;
  readonly pending = new Map<string, Pending>();
  readonly warming = new Map<string, () => void>();
  /** Functions placed here (by Amplify name). */
  readonly hosted = new Set<string>();
  retired = false;
  lastUsed = Date.now();
  private exitedBy: (Culprit & { code: number }) | undefined;

  constructor(
    readonly label: string,
    env: Record<string, string>,
    private readonly log: (functionName: string, line: string) => void,
    private readonly onRetire: (worker: PoolWorker) => void,
    onExit: (worker: PoolWorker) => void,
  ) {
    this.worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      env,
      execArgv: workerExecArgv(process.execArgv),
      // Everything a function writes comes back as tagged `log` messages; these streams only
      // keep the worker's own output off the backend's terminal.
      stdout: true,
      stderr: true,
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.strayLine(line));
    }
    this.worker.on('message', (message: WorkerReply) => this.receive(message));
    // An error the worker's own crash handler could not take (out of memory, a fault of
    // worker.mjs itself): the exit that follows fails what was in flight.
    this.worker.on('error', (error) => this.strayLine(`worker error: ${error.message}`));
    this.worker.on('exit', (code) => {
      for (const done of this.warming.values()) done();
      this.warming.clear();
      this.failAll(this.exitedBy ?? { fn: null, invocationId: null, code });
      this.retired = true;
      onExit(this);
    });
  }

  get busy(): boolean {
    return this.pending.size > 0 || this.warming.size > 0;
  }

  /** Places a function here: its environment is sent once, its bundle loads on first use. */
  place(fn: FunctionModel, env: Record<string, string>): void {
    this.hosted.add(fn.name);
    this.worker.postMessage({
      type: 'place',
      definition: {
        name: fn.name,
        handlerFile: fn.handlerFile,
        handlerExport: fn.handlerExport,
        functionName: fn.functionName,
        arn: fn.arn,
        memoryMB: fn.memoryMB,
        logGroupName: `/aws/lambda/${fn.functionName}`,
      },
      env,
    });
  }

  run(fn: FunctionModel, event: unknown): Promise<unknown> {
    this.lastUsed = Date.now();
    const id = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const expire = (name: string, message: string): void => {
        this.pending.delete(id);
        reject(new LambdaInvocationError(name, message, fn.name));
        // Lambda discards an environment that timed out. The handler may still be running here
        // and cannot be stopped alone: the worker takes no new work, and ends once the other
        // invocations in it have finished.
        this.retire();
      };
      // The function's timeout starts when its handler starts (see onStarted); loading the bundle
      // has its own, longer limit, as Lambda's init phase does.
      const timer = setTimeout(
        () =>
          expire(
            'Runtime.InitTimeout',
            `Init did not finish within ${INIT_TIMEOUT_MS / 1000} seconds`,
          ),
        INIT_TIMEOUT_MS + timeoutMs,
      );
      const onStarted = (): void => {
        clearTimeout(pending.timer);
        pending.timer = setTimeout(
          () =>
            expire(
              'Sandbox.Timedout',
              `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            ),
          timeoutMs,
        );
      };
      const pending: Pending = { fn, resolve, reject, timer, onStarted };
      this.pending.set(id, pending);
      this.worker.postMessage({ type: 'invoke', id, fn: fn.name, event, timeoutMs });
    });
  }

  /** Loads a function's bundle now; resolves once it is loaded (or failed to load). */
  warm(fn: FunctionModel): Promise<void> {
    const id = randomUUID();
    return new Promise((resolve) => {
      this.warming.set(id, resolve);
      this.worker.postMessage({ type: 'warm', id, fn: fn.name });
    });
  }

  retire(): void {
    if (!this.retired) {
      this.retired = true;
      this.onRetire(this);
    }
    if (!this.busy) void this.worker.terminate();
  }

  private receive(message: WorkerReply): void {
    if ('log' in message) {
      if (message.log === null) this.strayLine(message.line);
      else this.log(message.log, message.line);
      return;
    }
    if ('crashed' in message) {
      this.crashed(message.crashed);
      return;
    }
    if ('exiting' in message) {
      this.exitedBy = message.exiting;
      return;
    }
    if ('warmed' in message) {
      this.warming.get(message.id)?.();
      this.warming.delete(message.id);
      if (this.retired && !this.busy) void this.worker.terminate();
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.lastUsed = Date.now();
    if ('started' in message) {
      pending.onStarted();
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else {
      pending.reject(
        new LambdaInvocationError(
          message.error.errorType,
          message.error.errorMessage,
          pending.fn.name,
          message.error.trace,
        ),
      );
    }
    if (this.retired && !this.busy) void this.worker.terminate();
  }

  /** The invocations a crash in `culprit`'s code ends: its own, or its function's here. */
  private victimsOf(culprit: Culprit): string[] {
    if (culprit.invocationId && this.pending.has(culprit.invocationId))
      return [culprit.invocationId];
    return [...this.pending].filter(([, p]) => p.fn.name === culprit.fn).map(([id]) => id);
  }

  private reject(id: string, error: LambdaInvocationError): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  /** An uncaught exception in a function's code: the worker lives on, retired. */
  private crashed(crash: Culprit & { errorType: string; errorMessage: string; trace: string[] }) {
    for (const id of this.victimsOf(crash)) {
      const fn = this.pending.get(id)?.fn.name ?? String(crash.fn);
      this.reject(
        id,
        new LambdaInvocationError(crash.errorType, crash.errorMessage, fn, crash.trace),
      );
    }
    this.retire();
  }

  /**
   * The worker ended (process.exit in a function's code, out of memory, terminated). The culprit's
   * invocations fail as Lambda reports a runtime that exited; the others were in the same worker
   * by the engine's choice, not their own doing, so they fail with Lambda.Unknown, an error
   * callers retry (the saga's steps do), as if their environment had been lost.
   */
  private failAll(exit: Culprit & { code: number }): void {
    for (const id of this.victimsOf(exit)) {
      const fn = this.pending.get(id)?.fn.name ?? String(exit.fn);
      this.reject(
        id,
        new LambdaInvocationError(
          'Runtime.ExitError',
          `RequestId: ${id} Error: Runtime exited with error: exit status ${exit.code}`,
          fn,
        ),
      );
    }
    for (const [id, pending] of [...this.pending]) {
      this.reject(
        id,
        new LambdaInvocationError(
          'Lambda.Unknown',
          `The worker running this invocation ended (exit status ${exit.code}${exit.fn ? `, ${exit.fn} exited` : ''}) before it finished; it may be retried`,
          pending.fn.name,
        ),
      );
    }
  }

  /** A line no function wrote (the worker's own): shown, not attributed to any function. */
  private strayLine(line: string): void {
    if (line.trim() !== '') process.stderr.write(`[lambda ${this.label}] ${line}\n`);
  }
}

/**
 * Lambda's own runtime variables plus the function's template environment plus the local
 * endpoints. Tokens the template resolves through SSM stay as Amplify wrote them: the bundle's
 * shim fetches them from the local SSM engine at cold start, exactly as in AWS.
 */
export function functionEnvironment(
  fn: FunctionModel,
  common: Record<string, string>,
): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    NODE_ENV: process.env['NODE_ENV'] ?? 'development',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMB),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: fn.handlerFile.replace(/\/[^/]+$/, ''),
    _HANDLER: `${fn.handlerFile.replace(/^.*\//, '').replace(/\.[cm]?js$/, '')}.${fn.handlerExport}`,
    // The function targets its template's runtime (nodejs22.x), where the SDK has nothing to warn
    // about; the host's older Node is reported once by the backend process, not once per sandbox.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...common,
    ...fn.environment,
  };
}

/** What a worker's code sees outside any function: the host's basics and the common settings. */
const workerEnvironment = (common: Record<string, string>): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  NODE_ENV: process.env['NODE_ENV'] ?? 'development',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...common,
});

/** Starts the Lambda engine; workers start, and bundles load, on a function's first invocation. */
// Async like every engine's start, though nothing here waits: workers start on first use.
export async function start(options: LambdaEngineOptions): Promise<LambdaEngine> {
  // Powertools JSON shortened to function, level, order id, message; LOCAL_VERBOSE=1 prints it whole.
  const verbose = process.env['LOCAL_VERBOSE'] === '1';
  const log =
    options.log ??
    ((name: string, line: string) => {
      const shown = formatFunctionLog(name, line, { verbose });
      if (shown !== null) process.stdout.write(`${shown}\n`);
    });
  const poolSize = options.workers ?? DEFAULT_WORKERS;
  /** Workers taking new work; a retired one leaves this list (and `homes`) at once. */
  const active: PoolWorker[] = [];
  /** Every worker not yet ended, retired ones draining included (stop ends them all). */
  const live = new Set<PoolWorker>();
  /** The worker each function's invocations go to, by Amplify name. */
  const homes = new Map<string, PoolWorker>();
  let started = 0;
  let stopped = false;

  const find = (name: string): FunctionModel | undefined =>
    options.functions.find(
      (f) =>
        f.name === name ||
        f.functionName === name ||
        f.arn === name ||
        name.startsWith(`${f.arn}:`) ||
        f.logicalId === name,
    );

  const leave = (worker: PoolWorker): void => {
    const at = active.indexOf(worker);
    if (at >= 0) active.splice(at, 1);
    for (const name of worker.hosted) if (homes.get(name) === worker) homes.delete(name);
  };

  const newWorker = (): PoolWorker => {
    started += 1;
    const worker = new PoolWorker(
      `worker ${started}`,
      workerEnvironment(options.commonEnvironment),
      log,
      leave,
      (ended) => {
        leave(ended);
        live.delete(ended);
      },
    );
    worker.worker.unref();
    active.push(worker);
    live.add(worker);
    return worker;
  };

  /**
   * A function's worker: where it already lives, else the active worker hosting the fewest
   * functions (a new one while the pool is not full). With 0 workers configured, each function
   * gets a worker of its own, as before the pool.
   */
  const workerFor = (fn: FunctionModel): PoolWorker => {
    const home = homes.get(fn.name);
    if (home && !home.retired) return home;
    const emptiest = active.reduce<PoolWorker | undefined>(
      (best, w) => (!best || w.hosted.size < best.hosted.size ? w : best),
      undefined,
    );
    const worker =
      emptiest && (poolSize === 0 ? emptiest.hosted.size === 0 : active.length >= poolSize)
        ? emptiest
        : newWorker();
    worker.place(fn, functionEnvironment(fn, options.commonEnvironment));
    homes.set(fn.name, worker);
    return worker;
  };

  // A worker holds its functions' bundles and SDK clients (tens of MB each): a backend left
  // running for a day of development should not keep them once nobody calls them. A function's
  // module cannot be unloaded from a worker that is still in use, so reclaim is per worker: one
  // none of whose functions ran for idleMs ends, and its functions load afresh on their next call.
  const idleMs = options.idleMs ?? 0;
  const reaper =
    idleMs > 0
      ? setInterval(
          () => {
            for (const worker of [...active]) {
              if (worker.busy || Date.now() - worker.lastUsed < idleMs) continue;
              worker.retire();
            }
          },
          Math.max(50, Math.min(30_000, idleMs / 2)),
        ).unref()
      : undefined;

  return {
    url: '(in-process)',
    functions: options.functions,
    find,
    async invoke(functionName, event) {
      if (stopped)
        throw new LambdaInvocationError('ServiceException', 'Lambda engine stopped', functionName);
      const fn = find(functionName);
      if (!fn) throw new UnknownFunctionError(functionName);
      const fault = options.faults?.take(fn);
      if (fault?.when === 'before') await actOut(fault, fn.name);
      const result = await workerFor(fn).run(fn, event);
      if (fault?.when === 'after') await actOut(fault, fn.name);
      return result;
    },
    async warmAll() {
      for (const fn of options.functions) {
        if (stopped) return;
        // One at a time: loading a bundle is CPU-bound and the machine is shared.
        await workerFor(fn).warm(fn);
      }
    },
    async stop() {
      stopped = true;
      clearInterval(reaper);
      await Promise.all([...live].map((w) => w.worker.terminate()));
      live.clear();
      active.length = 0;
      homes.clear();
    },
  };
}
