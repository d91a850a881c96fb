/** The command line of `npm run bench`: positional N orders and concurrency, plus a few options. */
import path from 'node:path';

export interface BenchOptions {
  /** Orders measured (the warm-up orders come on top). */
  orders: number;
  /** Orders in flight at once: placed and not yet COMPLETED or FAILED. */
  concurrency: number;
  /** Shoppers the orders are spread over, each with their own onUpdateOrder subscription. */
  shoppers: number;
  /** Orders placed one at a time before measuring, so that no function loads during the run. */
  warmup: number;
  /** Where the results go (JSON). */
  jsonPath: string;
  /** The whole run (after the backend is ready) must end within this many seconds. */
  timeLimitSeconds: number;
  /** One order must end within this many seconds of its placeOrder call, or it counts as failed. */
  orderTimeoutSeconds: number;
  /** LOCAL_PORT_BASE of the backend the bench starts. */
  portBase: number;
  /** A git ref to run the same workload against, back to back with this tree; null: this tree only. */
  compare: string | null;
  /** With --compare: how many times each tree runs, alternating which goes first. */
  rounds: number;
}

export const USAGE = `Usage: npm run bench -- [orders] [concurrency] [options]

  orders                 orders to measure (default 100)
  concurrency            orders in flight at once (default 10)
  --shoppers <n>         shoppers the orders are spread over (default: min(concurrency, 5))
  --warmup <n>           unmeasured orders placed first, one at a time (default 1)
  --json <path>          results file (default bench-results/orders.json)
  --time-limit <s>       the run must finish within this many seconds (default 120 + 2 × orders)
  --order-timeout <s>    one order must end within this many seconds (default 120)
  --port-base <port>     LOCAL_PORT_BASE of the backend started for the bench (default 5200,
                         or BENCH_LOCAL_PORT_BASE)
  --compare <git-ref>    also run the same workload against <git-ref> (checked out into a temporary
                         git worktree, node_modules hard-linked), one after the other, and print
                         each figure with the ratio this tree / <git-ref>
  --rounds <n>           with --compare: runs of each tree, alternating which goes first (default 1)

  BENCH_BACKEND_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" passes node flags to the backend.`;

/** A command line the bench cannot run with; the message says which argument and why. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'BenchUsageError';
  }
}

const positiveInteger = (name: string, raw: string | undefined, max: number): number => {
  const value = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1)
    throw new BenchUsageError(`${name} must be a whole number of at least 1, got "${raw ?? ''}"`);
  if (value > max) throw new BenchUsageError(`${name} must be at most ${max}, got ${value}`);
  return value;
};

/** Reads the bench's arguments (without the node and script paths); throws BenchUsageError. */
export function parseBenchArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
  cwd = process.cwd(),
): BenchOptions {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') throw new BenchUsageError('Help requested');
    if (arg.startsWith('--')) {
      const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
      const known = [
        '--shoppers',
        '--warmup',
        '--json',
        '--time-limit',
        '--order-timeout',
        '--port-base',
        '--compare',
        '--rounds',
      ];
      if (!known.includes(flag)) throw new BenchUsageError(`Unknown option ${flag}`);
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new BenchUsageError(`${flag} needs a value`);
      named.set(flag, value);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length > 2)
    throw new BenchUsageError(`Expected at most two numbers, got: ${positional.join(' ')}`);

  const orders = positiveInteger('orders', positional[0] ?? '100', 100_000);
  const concurrency = positiveInteger('concurrency', positional[1] ?? '10', 1_000);
  const shoppers = positiveInteger(
    '--shoppers',
    named.get('--shoppers') ?? String(Math.min(concurrency, 5)),
    100,
  );
  const warmupRaw = named.get('--warmup') ?? '1';
  const warmup = warmupRaw === '0' ? 0 : positiveInteger('--warmup', warmupRaw, 100);
  const portBase = positiveInteger(
    '--port-base',
    named.get('--port-base') ?? env['BENCH_LOCAL_PORT_BASE'] ?? '5200',
    65_500,
  );
  if (portBase < 1024) throw new BenchUsageError(`--port-base must be 1024 or more`);
  return {
    orders,
    concurrency,
    shoppers,
    warmup,
    jsonPath: path.resolve(cwd, named.get('--json') ?? 'bench-results/orders.json'),
    timeLimitSeconds: positiveInteger(
      '--time-limit',
      named.get('--time-limit') ?? String(120 + 2 * orders),
      86_400,
    ),
    orderTimeoutSeconds: positiveInteger(
      '--order-timeout',
      named.get('--order-timeout') ?? '120',
      3_600,
    ),
    portBase,
    compare: named.get('--compare') ?? null,
    rounds: positiveInteger('--rounds', named.get('--rounds') ?? '1', 20),
  };
}
