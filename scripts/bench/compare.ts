/** `--compare`: each figure of this tree against the ref's, medians over rounds, and the ratio. */
import type { OrderFigures } from './report';
import type { LatencySummary } from './stats';

export interface RunFigures {
  label: string;
  results: Record<string, unknown>;
  figures: OrderFigures;
  memory: { backendPeakRssMiB: number | null; benchPeakRssMiB: number | null };
  backendCpu: { cpuMsPerOrder: number | null; mainLoopUtilisation: number | null };
  load: { atStart: number[]; atEnd: number[] };
  stockLeft: number | null;
  ok: boolean;
}

interface Figure {
  name: string;
  unit: string;
  of: (run: RunFigures) => number | null | undefined;
}

const completed = (r: RunFigures) => r.figures.placeOrderToCompletedMs;
const toSubscriber = (r: RunFigures) => r.figures.statusChangeToSubscriberMs;
const latency = (
  name: string,
  summary: (r: RunFigures) => LatencySummary | null,
  p: 'p50' | 'p95' | 'p99',
): Figure => ({ name: `${name} ${p}`, unit: 'ms', of: (r) => summary(r)?.[p] });

const FIGURES: Figure[] = [
  { name: 'orders per second', unit: '/s', of: (r) => r.figures.ordersPerSecond },
  latency('placeOrder -> COMPLETED', completed, 'p50'),
  latency('placeOrder -> COMPLETED', completed, 'p95'),
  latency('status change -> subscriber', toSubscriber, 'p50'),
  latency('status change -> subscriber', toSubscriber, 'p99'),
  { name: 'CPU per order', unit: 'ms', of: (r) => r.backendCpu.cpuMsPerOrder },
  { name: 'main loop utilisation', unit: '', of: (r) => r.backendCpu.mainLoopUtilisation },
  { name: 'peak RSS, backend', unit: 'MiB', of: (r) => r.memory.backendPeakRssMiB },
  { name: 'orders not completed', unit: '', of: (r) => r.figures.failed },
];

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface ComparisonRow {
  figure: string;
  unit: string;
  thisTree: number | null;
  ref: number | null;
  /** this tree / ref; below 1 is better for times, memory and CPU, above 1 for orders per second. */
  ratio: number | null;
}

/** The comparison of `here`-labelled runs against every other run, as rows and as printed text. */
export function compareTable(
  runs: readonly RunFigures[],
  hereLabel: string,
): { rows: ComparisonRow[]; text: string } {
  const valuesOf = (mine: boolean, figure: Figure): number[] =>
    runs
      .filter((r) => (r.label === hereLabel) === mine)
      .flatMap((r) => {
        const v = figure.of(r);
        return v === null || v === undefined ? [] : [v];
      });
  const rows = FIGURES.map((figure): ComparisonRow => {
    const thisTree = median(valuesOf(true, figure));
    const ref = median(valuesOf(false, figure));
    return {
      figure: figure.name,
      unit: figure.unit,
      thisTree,
      ref,
      ratio:
        thisTree === null || ref === null || ref === 0 ? null : Number((thisTree / ref).toFixed(2)),
    };
  });
  const show = (v: number | null, unit: string): string =>
    v === null ? '-' : `${Number.isInteger(v) ? v : v.toFixed(2)}${unit ? ` ${unit}` : ''}`;
  const table: string[][] = [
    ['figure', 'this tree', 'ref', 'ratio'],
    ...rows.map((r) => [
      r.figure,
      show(r.thisTree, r.unit),
      show(r.ref, r.unit),
      r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    ]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const text = table
    .map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ')}`)
    .join('\n');
  return { rows, text };
}
