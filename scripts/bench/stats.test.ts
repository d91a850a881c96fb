import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './stats';

describe('latency percentiles', () => {
  it('uses the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 is the max', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
  });

  it('gives the one sample for every percentile of a single sample', () => {
    expect(summarize([42])).toEqual({
      count: 1,
      min: 42,
      mean: 42,
      p50: 42,
      p95: 42,
      p99: 42,
      max: 42,
    });
  });

  it('sorts unsorted samples and has no summary without samples', () => {
    expect(summarize([30, 10, 20, 40])).toMatchObject({ min: 10, p50: 20, max: 40, mean: 25 });
    expect(summarize([])).toBeNull();
  });
});
