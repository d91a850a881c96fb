import { describe, expect, it } from 'vitest';
import { areaOf, selfTimes, type CpuProfile } from './profile-top';

describe('CPU profile summary', () => {
  it('sums self time per function and per area, most first, idle left out', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        {
          id: 2,
          callFrame: {
            functionName: 'parse',
            url: 'file:///r/node_modules/graphql/language/parser.js',
            lineNumber: 9,
          },
        },
        { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        {
          id: 3,
          callFrame: {
            functionName: 'save',
            url: 'file:///r/local/engines/stepfunctions/store.ts',
            lineNumber: 0,
          },
        },
      ],
      samples: [2, 3, 4, 2, 1],
      timeDeltas: [3000, 1000, 9000, 3000, 1000],
    };
    const summary = selfTimes([profile]);
    expect(summary.totalMs).toBe(8);
    expect(summary.areas.map((a) => [a.name, a.ms, a.share])).toEqual([
      ['pkg:graphql', 6, 0.75],
      ['local/engines/stepfunctions', 1, 0.125],
      ['(vm)', 1, 0.125],
    ]);
    expect(summary.functions[0]).toMatchObject({ name: 'parse language/parser.js:10', ms: 6 });
  });

  it('names scoped packages, function bundles and node itself', () => {
    expect(areaOf('file:///r/node_modules/@aws-sdk/core/dist/x.js')).toBe('pkg:@aws-sdk/core');
    expect(areaOf('file:///r/cdk.out/asset.abc/index.mjs?function=placeOrder')).toBe('bundle');
    expect(areaOf('node:internal/streams/readable')).toBe('node');
  });
});
