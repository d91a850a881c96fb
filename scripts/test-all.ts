/**
 * `npm test`: every check, in the order that fails fastest, each phase printed with its time.
 * Stops at the first failing phase and exits with its code.
 */
import { spawnSync } from 'node:child_process';
import { BROWSER_TESTS_BANK_CONFIRMATION_SECONDS } from './browser-test-settings';
import { findChromium } from './chromium';

interface Phase {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const npx = (...args: string[]): Pick<Phase, 'command' | 'args'> => ({ command: 'npx', args });

const phases: Phase[] = [
  { name: 'lint (eslint)', ...npx('eslint', '--max-warnings', '0', '.') },
  { name: 'format check', ...npx('prettier', '--check', '.') },
  {
    name: 'typecheck: app, scripts, local, tests',
    ...npx('tsc', '--noEmit', '-p', 'tsconfig.json'),
  },
  { name: 'typecheck: amplify/', ...npx('tsc', '--noEmit', '-p', 'amplify/tsconfig.json') },
  { name: 'unit tests', ...npx('vitest', 'run', '--project', 'unit') },
  {
    name: 'infrastructure tests (synth, assertions, cdk-nag, cfn-lint)',
    ...npx('vitest', 'run', '--project', 'infra'),
  },
  {
    name: 'local backend conformance and saga tests',
    ...npx('vitest', 'run', '--project', 'local'),
  },
  // The browser tests run against the production build, as shoppers get it: under `next dev` each
  // route's first visit compiles it, which on 2 cores took most of a test's time limit.
  {
    name: 'production build (next build)',
    ...npx('next', 'build'),
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  },
  {
    name: 'browser tests (Playwright, Chromium)',
    ...npx('playwright', 'test'),
    env: { E2E_NEXT_MODE: 'start' },
  },
];

// An assembly synthesized with other settings than the one before costs a minute of bundling.
process.env['BANK_CONFIRMATION_TIMEOUT_SECONDS'] ??= BROWSER_TESTS_BANK_CONFIRMATION_SECONDS;

const only = process.argv.slice(2);
const started = Date.now();

// Fail before any work if the browser tests could not run: they never skip silently.
try {
  findChromium();
} catch (error) {
  console.error(`\n✖ ${(error as Error).message}\n`);
  process.exit(1);
}

for (const phase of phases) {
  if (only.length > 0 && !only.some((word) => phase.name.includes(word))) continue;
  const t0 = Date.now();
  console.log(`\n▶ ${phase.name}\n  $ ${phase.command} ${phase.args.join(' ')}`);
  const result = spawnSync(phase.command, phase.args, {
    stdio: 'inherit',
    env: { ...process.env, ...phase.env },
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(
      `\n✖ ${phase.name} failed after ${seconds}s (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${phase.name} (${seconds}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
