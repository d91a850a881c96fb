import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { templateFiles } from './assembly';

interface LintMatch {
  Level: string;
  Rule: { Id: string };
  Message: string;
  Filename: string;
}

const found = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = found.status === 0;

describe('cfn-lint', () => {
  it('finds no errors in the synthesized templates', () => {
    if (!available) {
      console.log(
        'cfn-lint is not on PATH: skipped the CloudFormation lint (install cfn-lint to run it).',
      );
      return;
    }
    const result = spawnSync('cfn-lint', ['--format', 'json', '--', ...templateFiles()], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const matches = JSON.parse(result.stdout || '[]') as LintMatch[];
    const errors = matches
      .filter((m) => m.Level === 'Error')
      .map((m) => `${m.Rule.Id} ${m.Filename}: ${m.Message}`);
    expect(errors).toEqual([]);
  });
});
