/**
 * The CPU slowdown Lighthouse's throttling docs (docs/throttling.md, "Calibrating the CPU
 * slowdown") advise for a measured benchmarkIndex, to emulate their mid-tier mobile device:
 *
 *   host class        benchmarkIndex   multiplier to mid-tier mobile
 *   high-end desktop  1500-2000        4x (2-10)
 *   low-end desktop   1000-1500        2x (1-5)
 *   high-end mobile    800-1200        2x (1-5)
 *   mid-tier mobile    125-800         1x
 *
 * "If your device's BenchmarkIndex falls on the higher end of its bracket, use a higher multiplier
 * from the range; on the lower end, a lower one; in the middle, the suggested multiplier." The
 * brackets overlap and their ranges would jump at the edges, so this walks straight lines between
 * each suggested multiplier placed at its bracket's middle (1x up to 800, 2x from 1000 to 1250, 4x
 * at 1750), on to the range's top (10x) at twice the high-end desktop's middle, and rounds to 0.1.
 */
const ANCHORS: readonly (readonly [index: number, multiplier: number])[] = [
  [800, 1],
  [1000, 2],
  [1250, 2],
  [1750, 4],
  [3500, 10],
];

export interface Calibration {
  benchmarkIndex: number;
  multiplier: number;
  hostClass: string;
}

const hostClass = (index: number): string =>
  index >= 1500
    ? 'high-end desktop'
    : index >= 1000
      ? 'low-end desktop'
      : index >= 800
        ? 'high-end mobile'
        : index >= 125
          ? 'mid-tier mobile'
          : 'low-end mobile';

export function cpuSlowdownFor(benchmarkIndex: number): Calibration {
  if (!Number.isFinite(benchmarkIndex) || benchmarkIndex <= 0) {
    throw new Error(`benchmarkIndex must be a positive number, got ${benchmarkIndex}`);
  }
  let multiplier = ANCHORS.at(-1)![1];
  const first = ANCHORS[0]!;
  if (benchmarkIndex <= first[0]) multiplier = first[1];
  for (let i = 1; i < ANCHORS.length; i++) {
    const [x0, y0] = ANCHORS[i - 1]!;
    const [x1, y1] = ANCHORS[i]!;
    if (benchmarkIndex > x0 && benchmarkIndex <= x1) {
      multiplier = y0 + ((benchmarkIndex - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return {
    benchmarkIndex,
    multiplier: Math.round(multiplier * 10) / 10,
    hostClass: hostClass(benchmarkIndex),
  };
}
