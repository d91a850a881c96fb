/**
 * Local Lambda: runs each function's bundled handler from cdk.out in its own worker thread (a
 * warm "sandbox") whose process.env is that function's template environment resolved to the local
 * endpoints, with its configured timeout enforced. `invoke(name, event)` is what AppSync, the SQS
 * event source mappings and Step Functions call.
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
   * How long a sandbox may sit unused before it is shut down, as Lambda reclaims idle execution
   * environments; the next invocation starts a fresh one. 0 or absent keeps sandboxes for good.
   */
  idleMs?: number;
}

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
const faultError = (fault: LambdaFault, functionName: string): LambdaInvocationError =>
  new LambdaInvocationError(
    fault.errorName,
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
  /** Starts every function's sandbox ahead of its first invocation, one after another. */
  warmAll(): Promise<void>;
  /** Finds a function by Amplify name, physical name or ARN (with or without qualifier). */
  find(functionName: string): FunctionModel | undefined;
  functions: FunctionModel[];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  onStarted: () => void;
}

/** Longest a bundle may take to load (Lambda's init phase), on a machine shared with others. */
const INIT_TIMEOUT_MS = 60_000;

/** One warm sandbox: a worker plus the invocations in flight in it. */
class Sandbox {
  readonly worker: Worker;
  readonly pending = new Map<string, Pending>();
  readonly warming = new Map<string, () => void>();
  retired = false;
  lastUsed = Date.now();

  constructor(
    readonly fn: FunctionModel,
    env: Record<string, string>,
    log: (functionName: string, line: string) => void,
    private readonly onExit: (sandbox: Sandbox) => void,
  ) {
    this.worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      env,
      stdout: true,
      stderr: true,
      workerData: {
        handlerFile: fn.handlerFile,
        handlerExport: fn.handlerExport,
        functionName: fn.functionName,
        arn: fn.arn,
        memoryMB: fn.memoryMB,
        logGroupName: `/aws/lambda/${fn.functionName}`,
      },
      resourceLimits: { maxOldGenerationSizeMb: Math.max(128, fn.memoryMB) },
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => log(fn.name, line));
    }
    this.worker.on('message', (message: WorkerReply) => this.settle(message));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => {
      for (const done of this.warming.values()) done();
      this.warming.clear();
      this.failAll(new Error('The function sandbox exited'));
      this.onExit(this);
    });
  }

  get busy(): boolean {
    return this.pending.size > 0 || this.warming.size > 0;
  }

  run(event: unknown): Promise<unknown> {
    this.lastUsed = Date.now();
    const id = randomUUID();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const expire = (name: string, message: string): void => {
        this.pending.delete(id);
        reject(new LambdaInvocationError(name, message, this.fn.name));
        // Lambda discards a sandbox that timed out: later invocations get a fresh one.
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
              `Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`,
            ),
          timeoutMs,
        );
      };
      const pending: Pending = { resolve, reject, timer, onStarted };
      this.pending.set(id, pending);
      this.worker.postMessage({ id, event, requestId: id, timeoutMs });
    });
  }

  /** Loads the bundle now; resolves once it is loaded (or failed to load). */
  warm(): Promise<void> {
    const id = randomUUID();
    return new Promise((resolve) => {
      this.warming.set(id, resolve);
      this.worker.postMessage({ id, warm: true });
    });
  }

  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) void this.worker.terminate();
  }

  private settle(message: WorkerReply): void {
    if ('warmed' in message) {
      this.warming.get(message.id)?.();
      this.warming.delete(message.id);
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
          this.fn.name,
          message.error.trace,
        ),
      );
    }
    if (this.retired && this.pending.size === 0) void this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(
        new LambdaInvocationError('Runtime.ExitError', error.message, this.fn.name, [String(id)]),
      );
    }
    this.pending.clear();
  }
}

type WorkerReply =
  | { id: string; warmed: true }
  | { id: string; started: true }
  | { id: string; ok: true; result: unknown }
  | { id: string; ok: false; error: { errorType: string; errorMessage: string; trace: string[] } };

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

/** Starts the Lambda engine; sandboxes start lazily on a function's first invocation. */
// Async like every engine's start, though nothing here waits: sandboxes start on first use.
export async function start(options: LambdaEngineOptions): Promise<LambdaEngine> {
  // Powertools JSON shortened to function, level, order id, message; LOCAL_VERBOSE=1 prints it whole.
  const verbose = process.env['LOCAL_VERBOSE'] === '1';
  const log =
    options.log ??
    ((name: string, line: string) => {
      const shown = formatFunctionLog(name, line, { verbose });
      if (shown !== null) process.stdout.write(`${shown}\n`);
    });
  const sandboxes = new Map<string, Sandbox>();
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

  const sandboxFor = (fn: FunctionModel): Sandbox => {
    const current = sandboxes.get(fn.name);
    if (current && !current.retired) return current;
    const sandbox = new Sandbox(
      fn,
      functionEnvironment(fn, options.commonEnvironment),
      log,
      (exited) => {
        if (sandboxes.get(fn.name) === exited) sandboxes.delete(fn.name);
      },
    );
    sandbox.worker.unref();
    sandboxes.set(fn.name, sandbox);
    return sandbox;
  };

  // Each sandbox holds its bundle and SDK clients (about 70 MB): a backend left running for a day
  // of development should not keep all of them for functions nobody calls any more.
  const idleMs = options.idleMs ?? 0;
  const reaper =
    idleMs > 0
      ? setInterval(
          () => {
            for (const [name, sandbox] of sandboxes) {
              if (sandbox.busy || Date.now() - sandbox.lastUsed < idleMs) continue;
              sandboxes.delete(name);
              sandbox.retire();
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
      if (fault?.when === 'before') throw faultError(fault, fn.name);
      const result = await sandboxFor(fn).run(event);
      if (fault) throw faultError(fault, fn.name);
      return result;
    },
    async warmAll() {
      for (const fn of options.functions) {
        if (stopped) return;
        // One at a time: loading a bundle is CPU-bound and the machine is shared.
        await sandboxFor(fn).warm();
      }
    },
    async stop() {
      stopped = true;
      clearInterval(reaper);
      await Promise.all([...sandboxes.values()].map((s) => s.worker.terminate()));
      sandboxes.clear();
    },
  };
}
