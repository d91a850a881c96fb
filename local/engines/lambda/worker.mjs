// A Lambda worker shared by several functions (index.ts places functions on workers). Each function's
// bundle is imported once per worker, so module state is per function, as with Lambda. Invocations of
// different functions run concurrently here; what each one sees as process.env, and which function a
// log line belongs to, comes from an AsyncLocalStorage store entered for that function's module load
// and for each of its invocations (and inherited by every timer and promise they start).
// Plain JS so it needs no loader.
import { AsyncLocalStorage } from 'node:async_hooks';
import { syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

/** The store: `{ fn, env, invocationId? }`; invocationId is absent while the bundle loads. */
const current = new AsyncLocalStorage();
/** Name -> `{ definition, env, handler? }`: the functions placed on this worker. */
const functions = new Map();
/** What code outside any function sees (the worker's own `env`: PATH, the common settings). */
const workerEnv = { ...process.env };

const envNow = () => current.getStore()?.env ?? workerEnv;
const descriptor = (value) => ({ value, writable: true, enumerable: true, configurable: true });
// process.env resolves per read: a value read at module load, at client construction or at request
// time is the running function's own, even while another function's invocation is in flight here.
process.env = new Proxy(
  {},
  {
    get: (_, key) => (typeof key === 'string' ? envNow()[key] : undefined),
    has: (_, key) => typeof key === 'string' && Object.hasOwn(envNow(), key),
    // Like Node's process.env, values are stored as strings.
    set: (_, key, value) => {
      envNow()[String(key)] = String(value);
      return true;
    },
    defineProperty: (_, key, { value }) => {
      envNow()[String(key)] = String(value);
      return true;
    },
    deleteProperty: (_, key) => delete envNow()[String(key)],
    ownKeys: () => Object.keys(envNow()),
    getOwnPropertyDescriptor: (_, key) => {
      const env = envNow();
      return typeof key === 'string' && Object.hasOwn(env, key) ? descriptor(env[key]) : undefined;
    },
  },
);
// Bundles also `import { env } from 'node:process'`: that binding must be the proxy too.
syncBuiltinESMExports();

// A function here may run several invocations at once (of itself too), as on Lambda Managed
// Instances. That runtime says so with AWS_LAMBDA_MAX_CONCURRENCY and keeps per-invocation state
// in globalThis.awslambda.InvokeStore (the @aws/lambda-invoke-store contract); Powertools then
// keeps its appended log keys, metrics and trace segments per invocation, where its single-
// invocation mode keeps them per module and one order's id would leak into, or be removed from,
// another's lines.
const MAX_CONCURRENCY = '64';
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const X_RAY_TRACE_ID = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');
const PROTECTED = new Set(
  [REQUEST_ID, X_RAY_TRACE_ID].concat(
    ['TENANT_ID', 'TRACEPARENT', 'TRACESTATE', 'BAGGAGE'].map((k) =>
      Symbol.for(`_AWS_LAMBDA_${k}`),
    ),
  ),
);
const invocation = new AsyncLocalStorage();
globalThis.awslambda = {
  ...globalThis.awslambda,
  InvokeStore: {
    getContext: () => invocation.getStore(),
    hasContext: () => invocation.getStore() !== undefined,
    get: (key) => invocation.getStore()?.[key],
    set: (key, value) => {
      if (PROTECTED.has(key))
        throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
      const store = invocation.getStore();
      if (!store) throw new Error('No context available');
      store[key] = value;
    },
    run: (context, fn) => invocation.run(context, fn),
    getRequestId: () => invocation.getStore()?.[REQUEST_ID] ?? '-',
    getXRayTraceId: () => invocation.getStore()?.[X_RAY_TRACE_ID],
    getTenantId: () => undefined,
    getTraceparent: () => undefined,
    getTracestate: () => undefined,
    getBaggage: () => undefined,
  },
};

// Log lines are sent tagged with the function that wrote them. Powertools writes through its own
// Console on process.stdout, console.* through the same stream, so replacing the streams' write
// catches both. A line is cut at '\n'; what is left is kept per function and stream.
const partial = new Map();
const captureWrites = (stream) =>
  function write(chunk, encoding, callback) {
    const fn = current.getStore()?.fn ?? null;
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
    const key = `${stream}:${fn}`;
    const lines = `${partial.get(key) ?? ''}${text}`.split('\n');
    const rest = lines.pop();
    if (rest) partial.set(key, rest);
    else partial.delete(key);
    for (const line of lines) parentPort.postMessage({ log: fn, line: line.replace(/\r$/, '') });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
process.stdout.write = captureWrites('stdout');
process.stderr.write = captureWrites('stderr');

function serializeError(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

// A crash in one function's code is that function's: its invocation (or, from a timer its module
// load started, its invocations here) fails, the worker takes no new work and is replaced once the
// other functions' invocations in flight here have finished.
process.on('uncaughtException', (error, origin) => {
  const store = current.getStore();
  const serialized = serializeError(error);
  // Lambda's runtime writes the error to the function's log before its environment ends.
  process.stderr.write(
    `${origin === 'unhandledRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception'} ${JSON.stringify(serialized)}\n`,
  );
  parentPort.postMessage({
    crashed: {
      fn: store?.fn ?? null,
      invocationId: store?.invocationId ?? null,
      errorType:
        origin === 'unhandledRejection' ? 'Runtime.UnhandledPromiseRejection' : 'Runtime.ExitError',
      errorMessage: serialized.errorMessage,
      trace: serialized.trace,
    },
  });
});

// process.exit ends the worker (it never returns); the engine is told first whose call it was.
const exit = process.exit.bind(process);
process.exit = (code) => {
  const store = current.getStore();
  parentPort.postMessage({
    exiting: {
      fn: store?.fn ?? null,
      invocationId: store?.invocationId ?? null,
      code: Number(code ?? process.exitCode ?? 0),
    },
  });
  exit(code);
};

function loadHandler(state) {
  const { definition, env } = state;
  // The function's name in the URL makes a second function with the same bundle file a module
  // instance of its own.
  const url = `${pathToFileURL(definition.handlerFile).href}?function=${encodeURIComponent(definition.name)}`;
  state.handler ??= current
    .run({ fn: definition.name, env }, () => invocation.run({}, () => import(url)))
    .then((mod) => {
      const fn = mod[definition.handlerExport] ?? mod.default?.[definition.handlerExport];
      if (typeof fn !== 'function') {
        const error = new Error(
          `${definition.handlerFile} does not export ${definition.handlerExport}`,
        );
        error.name = 'Runtime.HandlerNotFound';
        throw error;
      }
      return fn;
    });
  return state.handler;
}

async function invoke(state, { id, event, timeoutMs }) {
  const { definition, env } = state;
  let startedAt;
  const context = {
    functionName: definition.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: definition.arn,
    memoryLimitInMB: String(definition.memoryMB),
    awsRequestId: id,
    logGroupName: definition.logGroupName,
    logStreamName: `local/[$LATEST]${id.replace(/-/g, '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, (startedAt ?? Date.now()) + timeoutMs - Date.now()),
  };
  try {
    const handler = await loadHandler(state);
    // Lambda's timeout covers the handler, not the init phase (module load, SSM shim).
    startedAt = Date.now();
    parentPort.postMessage({ id, started: true });
    const result = await current.run({ fn: definition.name, env, invocationId: id }, () =>
      invocation.run(
        { [REQUEST_ID]: id },
        () =>
          new Promise((resolve, reject) => {
            // Callback-style handlers (event, context, callback) are still supported by Lambda.
            const callback = (error, value) => (error ? reject(error) : resolve(value));
            context.done = callback;
            context.succeed = (value) => resolve(value);
            context.fail = (error) => reject(error);
            try {
              const returned = handler(event, context, callback);
              if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
              else if (handler.length < 3) resolve(returned);
            } catch (error) {
              reject(error);
            }
          }),
      ),
    );
    // Lambda returns JSON: what JSON.stringify drops (undefined, functions, class identity) is dropped.
    const json = result === undefined ? null : JSON.parse(JSON.stringify(result));
    parentPort.postMessage({ id, ok: true, result: json });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: serializeError(error) });
  }
}

parentPort.on('message', async (message) => {
  if (message.type === 'place') {
    // The function's environment object is its own and mutable, as a Lambda environment's is
    // (Amplify's SSM shim writes resolved secrets into it).
    functions.set(message.definition.name, {
      definition: message.definition,
      env: { ...message.env, AWS_LAMBDA_MAX_CONCURRENCY: MAX_CONCURRENCY },
    });
    return;
  }
  const state = functions.get(message.fn);
  if (message.type === 'warm') {
    // Cold start ahead of the first invocation: load the bundle (and its SSM shim) now.
    if (state) await loadHandler(state).catch(() => undefined);
    parentPort.postMessage({ id: message.id, warmed: true });
    return;
  }
  if (!state) {
    const error = {
      errorType: 'ServiceException',
      errorMessage: `${message.fn} is not placed on this worker`,
      trace: [],
    };
    parentPort.postMessage({ id: message.id, ok: false, error });
    return;
  }
  await invoke(state, message);
});
