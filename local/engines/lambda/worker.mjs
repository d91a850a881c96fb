// One Lambda "sandbox": a worker thread that loads one function's bundle with that function's own
// process.env (worker_threads `env`) and runs its invocations. Plain JS so it needs no loader.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { handlerFile, handlerExport, functionName, arn, memoryMB, logGroupName } = workerData;

let handlerPromise;
function loadHandler() {
  handlerPromise ??= import(pathToFileURL(handlerFile).href).then((mod) => {
    const fn = mod[handlerExport] ?? mod.default?.[handlerExport];
    if (typeof fn !== 'function') {
      const error = new Error(`${handlerFile} does not export ${handlerExport}`);
      error.name = 'Runtime.HandlerNotFound';
      throw error;
    }
    return fn;
  });
  return handlerPromise;
}

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

parentPort.on('message', async (message) => {
  if (message.warm) {
    // Cold start ahead of the first invocation: load the bundle (and its SSM shim) now.
    await loadHandler().catch(() => undefined);
    parentPort.postMessage({ id: message.id, warmed: true });
    return;
  }
  const { id, event, requestId, timeoutMs } = message;
  let startedAt;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: String(memoryMB),
    awsRequestId: requestId,
    logGroupName,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, (startedAt ?? Date.now()) + timeoutMs - Date.now()),
  };
  try {
    const handler = await loadHandler();
    // Lambda's timeout covers the handler, not the init phase (module load, SSM shim).
    startedAt = Date.now();
    parentPort.postMessage({ id, started: true });
    const result = await new Promise((resolve, reject) => {
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
    });
    // Lambda returns JSON: what JSON.stringify drops (undefined, functions, class identity) is dropped.
    const json = result === undefined ? null : JSON.parse(JSON.stringify(result));
    parentPort.postMessage({ id, ok: true, result: json });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: serializeError(error) });
  }
});
