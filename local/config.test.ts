import { describe, expect, it } from 'vitest';
import { BadPortBaseError, badPortsFor, loadLocalConfig, suggestPortBase } from './config';

const configFor = (base: string | number) =>
  loadLocalConfig({ NODE_ENV: 'test', LOCAL_PORT_BASE: String(base) }, '/project');

describe('Local config: LOCAL_PORT_BASE and the fetch bad-ports list', () => {
  it.each([
    [6000, 'graphql', 6000],
    [5999, 'cognito', 6000],
    [5052, 'stripe', 5060],
    [6660, 'sqs', 6665],
    [4040, 'sqs', 4045],
  ])('refuses base %i: the %s engine would be on port %i', (base, engine, port) => {
    // Act
    const attempt = () => configFor(base);
    // Assess
    expect(attempt).toThrow(BadPortBaseError);
    expect(attempt).toThrow(`the ${engine} engine on port ${port}`);
    expect(attempt).toThrow(/browsers and Node's fetch refuse/);
    expect(attempt).toThrow(`LOCAL_PORT_BASE=${suggestPortBase(base)}`);
  });

  it('names every engine that would land on a bad port', () => {
    expect(badPortsFor(6660).map((b) => b.port)).toEqual([6665, 6666, 6667, 6668, 6669]);
  });

  it('suggests a base that is itself clean', () => {
    for (const base of [6000, 5999, 5052, 6660, 4040, 10_075]) {
      const suggested = suggestPortBase(base);
      expect(badPortsFor(suggested)).toEqual([]);
      expect(() => configFor(suggested)).not.toThrow();
    }
  });

  it('accepts the default and the bases the team uses', () => {
    for (const base of ['4000', '4600', '4800', '8000', '8200', '8400']) {
      expect(configFor(base).portBase).toBe(Number(base));
    }
  });

  it('does not count the SMTP port, which no browser or fetch dials', () => {
    // SMTP would sit on 465 (on the list), every HTTP engine on 440..450 (not on it).
    expect(badPortsFor(440)).toEqual([]);
  });
});

describe('Local config: LOCAL_STEPFUNCTIONS_RETRY_SCALE', () => {
  const withScale = (scale?: string) =>
    loadLocalConfig(
      {
        NODE_ENV: 'test',
        ...(scale === undefined ? {} : { LOCAL_STEPFUNCTIONS_RETRY_SCALE: scale }),
      },
      '/project',
    );

  it('waits as deployed unless told otherwise, and takes a shorter wait', () => {
    expect(withScale().stepFunctionsRetryScale).toBe(1);
    expect(withScale('0.1').stepFunctionsRetryScale).toBe(0.1);
  });

  it.each(['0', '-1', '2', 'fast'])('refuses %s: waits can only be shortened', (scale) => {
    expect(() => withScale(scale)).toThrow(/LOCAL_STEPFUNCTIONS_RETRY_SCALE/);
  });
});
