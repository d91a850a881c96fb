import { describe, expect, it } from 'vitest';
import { FilterPatternError, compileFilterPattern } from './filter-pattern';

const powertools = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'INFO',
    message: 'order moved to PAID',
    service: 'saga-supply',
    ...fields,
  });

const ORDER_A = powertools({ orderId: 'a1b2-c3', cold_start: false, attempt: 2 });
const ORDER_B = powertools({
  orderId: 'zz-99',
  level: 'ERROR',
  error: { name: 'PaymentDeclined' },
});
const PLAIN = 'START RequestId: 7d29 Version: $LATEST';

const matching = (pattern: string, lines = [ORDER_A, ORDER_B, PLAIN]) => {
  const matches = compileFilterPattern(pattern);
  return lines.filter((line) => matches(line));
};

describe('CloudWatch Logs filter patterns, JSON form', () => {
  it('matches the order a line is about, and no other order', () => {
    // Act
    const found = matching('{ $.orderId = "a1b2-c3" }');
    // Assess
    expect(found).toEqual([ORDER_A]);
  });

  it('reads nested fields, != , numbers, && , || and parentheses', () => {
    expect(matching('{ $.error.name = "PaymentDeclined" }')).toEqual([ORDER_B]);
    expect(matching('{ $.orderId != "a1b2-c3" }')).toEqual([ORDER_B]);
    expect(matching('{ $.attempt >= 2 }')).toEqual([ORDER_A]);
    expect(matching('{ $.attempt < 2 }')).toEqual([]);
    expect(matching('{ $.level = "ERROR" && $.orderId = "zz-99" }')).toEqual([ORDER_B]);
    expect(matching('{ $.level = "ERROR" && $.orderId = "a1b2-c3" }')).toEqual([]);
    expect(
      matching('{ ($.orderId = "a1b2-c3" || $.orderId = "zz-99") && $.service = saga-supply }'),
    ).toEqual([ORDER_A, ORDER_B]);
  });

  it('takes * as a wildcard inside a string value', () => {
    expect(matching('{ $.orderId = "a1b2*" }')).toEqual([ORDER_A]);
    expect(matching('{ $.message = "*PAID" }')).toEqual([ORDER_A, ORDER_B]);
  });

  it('never matches a field the line does not have, nor a line that is not JSON', () => {
    expect(matching('{ $.executionName = "a1b2-c3" }')).toEqual([]);
    expect(matching('{ $.executionName != "x" }')).toEqual([]);
    expect(compileFilterPattern('{ $.orderId = "a" }')('{ not json')).toBe(false);
  });

  it.each([
    ['{ $.orderId = "a" ', /must end with }/],
    ['{ orderId = "a" }', /selector/],
    ['{ $.orderId }', /ends early|expected/],
    ['{ $.orderId = }', /ends early|expected a value/],
    ['{ $.orderId > "a" }', /strings compare only with = or !=/],
    ['{ $.orderId = "a" } trailing', /must end with }/],
    ['{ $.orderId = "a" $.x = 1 }', /unexpected text/],
    ['{ ($.orderId = "a" }', /missing \)|ends early/],
    ['{ $.orderId IS NULL }', /expected =/],
    ['{ $.orderId = NULL }', /NULL is not supported offline/],
    ['{ $.orderId = %ab% }', /regular expressions/],
    ['{ $.orderId = "unterminated }', /unterminated string/],
  ])('refuses %s rather than matching everything', (pattern, reason) => {
    // Act
    const compile = () => compileFilterPattern(pattern);
    // Assess
    expect(compile).toThrow(FilterPatternError);
    expect(compile).toThrow(reason);
  });
});

describe('CloudWatch Logs filter patterns, terms', () => {
  it('matches every event for an empty pattern', () => {
    expect(matching('')).toHaveLength(3);
    expect(matching('   ')).toHaveLength(3);
  });

  it('needs every term, case-sensitively; ?terms need one; -terms exclude', () => {
    expect(matching('START')).toEqual([PLAIN]);
    expect(matching('requestid')).toEqual([]);
    expect(matching('ERROR zz-99')).toEqual([ORDER_B]);
    expect(matching('?PaymentDeclined ?RequestId')).toEqual([ORDER_B, PLAIN]);
    expect(matching('saga-supply -ERROR')).toEqual([ORDER_A]);
    expect(matching('"order moved to PAID"')).toEqual([ORDER_A, ORDER_B]);
    expect(matching('"Version: $LATEST"')).toEqual([PLAIN]);
  });

  it.each([
    ['[ip, user, ...]', /space-delimited/],
    ['%ERR.R%', /regular expressions/],
    ['"unfinished', /unfinished term/],
    ['ERROR ?WARN', /cannot be mixed/],
    ['x'.repeat(1025), /longer than 1024/],
  ])('refuses %s', (pattern, reason) => {
    expect(() => compileFilterPattern(pattern)).toThrow(reason);
  });
});
