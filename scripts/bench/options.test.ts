import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from './options';

describe('npm run bench arguments', () => {
  it('runs 100 orders, 10 at a time, by default, into bench-results/orders.json', () => {
    const options = parseBenchArgs([], {}, '/project');
    expect(options).toMatchObject({
      orders: 100,
      concurrency: 10,
      shoppers: 5,
      warmup: 1,
      portBase: 5200,
      jsonPath: path.resolve('/project', 'bench-results/orders.json'),
    });
  });

  it('takes orders and concurrency as numbers, and named options in both spellings', () => {
    const options = parseBenchArgs(
      ['200', '20', '--json', 'out/b.json', '--shoppers=3', '--warmup', '0', '--time-limit', '90'],
      { BENCH_LOCAL_PORT_BASE: '5300' },
      '/project',
    );
    expect(options).toMatchObject({
      orders: 200,
      concurrency: 20,
      shoppers: 3,
      warmup: 0,
      timeLimitSeconds: 90,
      portBase: 5300,
      jsonPath: path.resolve('/project', 'out/b.json'),
    });
  });

  it('compares with a git ref over one round unless told more', () => {
    expect(parseBenchArgs(['--compare', 'main'])).toMatchObject({ compare: 'main', rounds: 1 });
    expect(parseBenchArgs(['--compare=HEAD~2', '--rounds', '3'])).toMatchObject({
      compare: 'HEAD~2',
      rounds: 3,
    });
    expect(parseBenchArgs([]).compare).toBeNull();
  });

  it('spreads a low concurrency over as many shoppers as orders in flight', () => {
    expect(parseBenchArgs(['10', '2']).shoppers).toBe(2);
  });

  it.each([
    [['0'], /orders must be a whole number/],
    [['10', '-3'], /concurrency must be a whole number/],
    [['1.5'], /orders must be a whole number/],
    [['10', '5', '7'], /at most two numbers/],
    [['--json'], /--json needs a value/],
    [['--fast'], /Unknown option --fast/],
    [['--port-base', '80'], /1024 or more/],
    [['--compare'], /--compare needs a value/],
    [['--rounds', '0'], /--rounds must be a whole number/],
  ])('refuses %j with a message naming the argument', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
