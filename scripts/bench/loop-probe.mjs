// Loaded into the backend under test with `node --import` (by the bench, for this tree and for a
// compared ref alike, so neither needs to know about it): reports the main thread's event-loop
// utilisation, cumulative, four times a second on stdout, for the bench to difference.
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  setInterval(() => {
    const { idle, active } = performance.eventLoopUtilization();
    process.stdout.write(`bench-loop ${JSON.stringify({ idle, active })}\n`);
  }, 250).unref();
}
