import { describe, expect, it } from 'vitest';
import { cpuSlowdownFor } from './cpu-slowdown';

describe('cpuSlowdownFor', () => {
  it('gives the multiplier the throttling docs suggest in the middle of each bracket', () => {
    expect(cpuSlowdownFor(1750)).toMatchObject({ multiplier: 4, hostClass: 'high-end desktop' });
    expect(cpuSlowdownFor(1250)).toMatchObject({ multiplier: 2, hostClass: 'low-end desktop' });
    expect(cpuSlowdownFor(1000)).toMatchObject({ multiplier: 2, hostClass: 'low-end desktop' });
    expect(cpuSlowdownFor(500)).toMatchObject({ multiplier: 1, hostClass: 'mid-tier mobile' });
  });

  it('moves within the documented ranges: higher index, higher multiplier, never a jump', () => {
    let last = 1;
    for (let index = 100; index <= 4000; index += 25) {
      const { multiplier } = cpuSlowdownFor(index);
      expect(multiplier).toBeGreaterThanOrEqual(last);
      expect(multiplier - last).toBeLessThanOrEqual(0.25);
      expect(multiplier).toBeGreaterThanOrEqual(1);
      expect(multiplier).toBeLessThanOrEqual(10);
      last = multiplier;
    }
    expect(cpuSlowdownFor(2000).multiplier).toBeGreaterThan(4);
    expect(cpuSlowdownFor(1500).multiplier).toBeLessThan(4);
  });

  it('refuses an index that is no measurement', () => {
    expect(() => cpuSlowdownFor(0)).toThrow();
    expect(() => cpuSlowdownFor(Number.NaN)).toThrow();
  });
});
