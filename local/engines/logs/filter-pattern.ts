/**
 * CloudWatch Logs filter patterns, the part the backend and a developer use: JSON patterns
 * (`{ $.orderId = "o-1" }`, `!=`, number comparisons, `&&`, `||`, parentheses, `*` wildcards in
 * strings) and term patterns (`ERROR`, `"a phrase"`, `ERROR Exception` = both, `?ERROR ?WARN` =
 * either, `-DEBUG` = without). Terms match case-sensitively anywhere in the message. Everything
 * else AWS accepts (space-delimited `[...]`, `%regex%`, `IS NULL`, `EXISTS`, `IS TRUE`) is refused
 * with a FilterPatternError, never silently read as "match everything".
 */

/** A pattern this engine cannot read; the engine answers it as InvalidParameterException. */
export class FilterPatternError extends Error {
  constructor(message: string) {
    super(`Invalid filter pattern: ${message}`);
    this.name = 'FilterPatternError';
  }
}

/** Whether a log event's message matches. */
export type LogMatcher = (message: string) => boolean;

/** AWS's limit on a filter pattern's length. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** Compiles a filter pattern once; the matcher is then run on every event searched. */
export function compileFilterPattern(pattern: string | undefined): LogMatcher {
  const text = (pattern ?? '').trim();
  if (text.length > MAX_FILTER_PATTERN_LENGTH)
    throw new FilterPatternError(`longer than ${MAX_FILTER_PATTERN_LENGTH} characters`);
  if (text === '') return () => true;
  if (text.startsWith('{')) return jsonMatcher(text);
  if (text.startsWith('['))
    throw new FilterPatternError('space-delimited patterns ([...]) are not supported offline');
  return termMatcher(text);
}

// ---- Term patterns ----

function termMatcher(text: string): LogMatcher {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  const tokens = text.match(/[?-]?"(?:[^"\\]|\\.)*"|[^\s"]+|"/g) ?? [];
  for (const token of tokens) {
    const sign = token[0] === '?' || token[0] === '-' ? token[0] : '';
    const raw = token.slice(sign.length);
    if (raw === '' || raw === '"') throw new FilterPatternError(`unfinished term at "${token}"`);
    if (raw.startsWith('%'))
      throw new FilterPatternError('regular expressions (%...%) are not supported offline');
    const term = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (/[{}[\]]/.test(raw) && !raw.startsWith('"'))
      throw new FilterPatternError(`unexpected character in term "${raw}"`);
    (sign === '?' ? any : sign === '-' ? none : all).push(term);
  }
  if (any.length > 0 && (all.length > 0 || none.length > 0))
    throw new FilterPatternError('?terms cannot be mixed with required or excluded terms');
  if (any.length > 0) return (message) => any.some((t) => message.includes(t));
  return (message) =>
    all.every((t) => message.includes(t)) && !none.some((t) => message.includes(t));
}

// ---- JSON patterns ----

type Json = unknown;
type Condition = (event: Json) => boolean;
type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';
type Token =
  | { kind: 'selector'; path: (string | number)[] }
  | { kind: 'op'; op: Operator }
  | { kind: 'and' | 'or' | '(' | ')' }
  | { kind: 'string'; value: string; quoted: boolean }
  | { kind: 'number'; value: number };

const UNSUPPORTED_WORDS = new Set(['IS', 'NOT', 'EXISTS', 'NULL', 'TRUE', 'FALSE']);

function jsonMatcher(text: string): LogMatcher {
  if (!text.endsWith('}')) throw new FilterPatternError('a JSON pattern must end with }');
  const tokens = tokenize(text.slice(1, -1));
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const next = (): Token => {
    const token = tokens[at++];
    if (!token) throw new FilterPatternError('the pattern ends early');
    return token;
  };

  const comparison = (): Condition => {
    const selector = next();
    if (selector.kind !== 'selector')
      throw new FilterPatternError('a comparison must start with a $. selector');
    const operator = next();
    if (operator.kind !== 'op') throw new FilterPatternError('expected =, !=, <, >, <= or >=');
    const value = next();
    if (value.kind === 'string' && !value.quoted && UNSUPPORTED_WORDS.has(value.value))
      throw new FilterPatternError(`${value.value} is not supported offline`);
    if (value.kind === 'number') return numberCondition(selector.path, operator.op, value.value);
    if (value.kind !== 'string')
      throw new FilterPatternError('expected a value after the operator');
    if (operator.op !== '=' && operator.op !== '!=')
      throw new FilterPatternError(`strings compare only with = or != (got ${operator.op})`);
    return stringCondition(selector.path, operator.op, value.value);
  };
  const primary = (): Condition => {
    if (peek()?.kind !== '(') return comparison();
    next();
    const inner = or();
    if (next().kind !== ')') throw new FilterPatternError('missing )');
    return inner;
  };
  // `a && b && c` or `a || b || c`: && binds tighter, as in AWS's patterns.
  const joined = (kind: 'and' | 'or', part: () => Condition): Condition => {
    const parts = [part()];
    while (peek()?.kind === kind) {
      next();
      parts.push(part());
    }
    if (parts.length === 1) return parts[0] as Condition;
    return kind === 'and' ? (e) => parts.every((p) => p(e)) : (e) => parts.some((p) => p(e));
  };
  const and = (): Condition => joined('and', primary);
  const or = (): Condition => joined('or', and);

  const condition = or();
  if (at < tokens.length) throw new FilterPatternError('unexpected text after the comparison');
  return (message) => {
    const start = message.trimStart();
    if (!start.startsWith('{')) return false;
    let event: Json;
    try {
      event = JSON.parse(start);
    } catch {
      return false;
    }
    return condition(event);
  };
}

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const rest = body.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '&&' || two === '||') {
      tokens.push({ kind: two === '&&' ? 'and' : 'or' });
      i += 2;
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', op: op[0] as Operator });
      i += op[0].length;
      continue;
    }
    if (rest[0] === '(' || rest[0] === ')') {
      tokens.push({ kind: rest[0] });
      i += 1;
      continue;
    }
    if (rest[0] === '$') {
      const selector = /^\$((?:\.[A-Za-z0-9_@-]+|\[\d+\])*)/.exec(rest);
      const path = selector?.[1] ?? '';
      if (!selector || path === '') throw new FilterPatternError('a selector is $.field');
      tokens.push({
        kind: 'selector',
        path: [...path.matchAll(/\.([A-Za-z0-9_@-]+)|\[(\d+)\]/g)].map((m) =>
          m[1] !== undefined ? m[1] : Number(m[2]),
        ),
      });
      i += selector[0].length;
      continue;
    }
    if (rest[0] === '"') {
      const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
      if (!quoted) throw new FilterPatternError('unterminated string');
      tokens.push({
        kind: 'string',
        value: (quoted[1] ?? '').replace(/\\(.)/g, '$1'),
        quoted: true,
      });
      i += quoted[0].length;
      continue;
    }
    if (rest[0] === '%')
      throw new FilterPatternError('regular expressions (%...%) are not supported offline');
    const word = /^[^\s()=!<>&|"]+/.exec(rest);
    if (!word) throw new FilterPatternError(`unexpected character "${rest[0] ?? ''}"`);
    const number = Number(word[0]);
    tokens.push(
      /^-?\d+(\.\d+)?$/.test(word[0]) && Number.isFinite(number)
        ? { kind: 'number', value: number }
        : { kind: 'string', value: word[0], quoted: false },
    );
    i += word[0].length;
  }
  return tokens;
}

const MISSING = Symbol('missing');

function select(event: Json, path: (string | number)[]): unknown {
  let value: unknown = event;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(value) || key >= value.length) return MISSING;
      value = value[key];
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return MISSING;
      if (!Object.hasOwn(value, key)) return MISSING;
      value = (value as Record<string, unknown>)[key];
    }
  }
  return value;
}

function stringCondition(path: (string | number)[], op: '=' | '!=', wanted: string): Condition {
  const matches = wanted.includes('*')
    ? (
        (re: RegExp) => (s: string) =>
          re.test(s)
      )(new RegExp(`^${wanted.split('*').map(escapeRegExp).join('.*')}$`, 's'))
    : (s: string) => s === wanted;
  return (event) => {
    const value = select(event, path);
    // A field that is absent, or an object or array, matches neither = nor !=.
    if (value === MISSING || (typeof value === 'object' && value !== null)) return false;
    const equal = matches(String(value));
    return op === '=' ? equal : !equal;
  };
}

function numberCondition(path: (string | number)[], op: Operator, wanted: number): Condition {
  return (event) => {
    const value = select(event, path);
    if (typeof value !== 'number') return false;
    switch (op) {
      case '=':
        return value === wanted;
      case '!=':
        return value !== wanted;
      case '<':
        return value < wanted;
      case '>':
        return value > wanted;
      case '<=':
        return value <= wanted;
      case '>=':
        return value >= wanted;
    }
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
