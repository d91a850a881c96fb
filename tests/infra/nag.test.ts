import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAG_REPORT_FILE, NAG_SUPPRESSIONS } from '../../amplify/custom/nag';
import { NAG_OUT_DIR } from './assembly';

interface NagReport {
  violations: { ruleName: string; severity?: string; violatingResources: unknown[] }[];
  acknowledged: { rule: string; path: string; reason: string }[];
}

describe('cdk-nag AwsSolutions checks on every stack', () => {
  const report = JSON.parse(
    readFileSync(path.join(NAG_OUT_DIR, NAG_REPORT_FILE), 'utf8'),
  ) as NagReport;

  it('leaves no unacknowledged error', () => {
    expect(report.violations.filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('checked the stacks of every part of the backend', () => {
    const stacks = new Set(report.acknowledged.map((a) => a.path.split('/')[0]));
    for (const stack of ['auth', 'data', 'storage', 'order-intake', 'order-workflow']) {
      expect(stacks).toContain(stack);
    }
  });

  it('justifies every suppression in one sentence, and every suppression is still needed', () => {
    for (const suppression of NAG_SUPPRESSIONS) {
      expect(suppression.reason).toMatch(/^[A-Z].{20,}[.]$/);
      expect(suppression.reason.slice(0, -1)).not.toMatch(/[.!?] [A-Z]/);
      const used = report.acknowledged.some((a) => a.reason === suppression.reason);
      expect(used, `unused suppression ${suppression.rule}`).toBe(true);
    }
  });
});
