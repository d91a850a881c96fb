import { describe, expect, it } from 'vitest';
import { compareTable, median, type RunFigures } from './compare';
import type { OrderFigures } from './report';

const run = (label: string, ordersPerSecond: number, cpuMsPerOrder: number): RunFigures => ({
  label,
  results: {},
  figures: { ordersPerSecond, placeOrderToCompletedMs: null, failed: 0 } as OrderFigures,
  memory: { backendPeakRssMiB: 400, benchPeakRssMiB: 100 },
  backendCpu: { cpuMsPerOrder, mainLoopUtilisation: null },
  load: { atStart: [1, 1, 1], atEnd: [1, 1, 1] },
  stockLeft: 0,
  ok: true,
});

describe('bench --compare', () => {
  it('takes the median of each tree and divides this tree by the ref', () => {
    const runs = [run('ref', 2, 500), run('here', 6, 100), run('here', 8, 140), run('ref', 4, 300)];
    const { rows, text } = compareTable(runs, 'here');
    expect(rows.find((r) => r.figure === 'orders per second')).toMatchObject({
      thisTree: 7,
      ref: 3,
      ratio: 2.33,
    });
    expect(rows.find((r) => r.figure === 'CPU per order')?.ratio).toBe(0.3);
    expect(rows.find((r) => r.figure === 'peak RSS, backend')?.ratio).toBe(1);
    // A figure neither run has is shown as missing, not as a ratio of nothing.
    expect(rows.find((r) => r.figure === 'placeOrder -> COMPLETED p50')?.ratio).toBeNull();
    expect(text).toMatch(/orders per second\s+7 \/s\s+3 \/s\s+2\.33x/);
  });

  it('has no median without values', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
  });
});
