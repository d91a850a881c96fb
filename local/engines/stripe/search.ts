/**
 * The part of Stripe's search query language the local Stripe serves: clauses `field:value` (and
 * `>`, `<`, `>=`, `<=` on numeric fields), `metadata['key']:'value'`, `-` to negate, joined by
 * spaces or AND, or all by OR (Stripe refuses mixing them). Values are quoted strings (single or
 * double quotes, `\` escapes) or numbers. Anything else is a SearchQueryError naming where it is.
 */

export type SearchFieldType = 'string' | 'numeric';

/** The query cannot be parsed or uses a field the resource does not search on. */
export class SearchQueryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SearchQueryError';
  }
}

type Operator = ':' | '>' | '<' | '>=' | '<=';

interface Clause {
  negated: boolean;
  /** A top-level field, or a metadata key. */
  field: { kind: 'field'; name: string; type: SearchFieldType } | { kind: 'metadata'; key: string };
  operator: Operator;
  value: string | number;
}

/** A record as search sees it: top-level fields plus string metadata. */
export interface Searchable {
  metadata?: Record<string, string> | null;
}

/** Compiles a query against the fields a resource searches on; the result tests one record. */
export function compileSearch(
  query: string,
  fields: Readonly<Record<string, SearchFieldType>>,
): (record: Searchable) => boolean {
  const { clauses, join } = parse(query, fields);
  return (record) =>
    join === 'OR'
      ? clauses.some((clause) => matches(record, clause))
      : clauses.every((clause) => matches(record, clause));
}

function matches(record: Searchable, clause: Clause): boolean {
  const actual =
    clause.field.kind === 'metadata'
      ? record.metadata?.[clause.field.key]
      : (record as Record<string, unknown>)[clause.field.name];
  let hit: boolean;
  if (clause.operator === ':') {
    hit =
      typeof clause.value === 'number'
        ? actual === clause.value
        : typeof actual === 'string' && actual === clause.value;
  } else {
    const value = clause.value as number;
    hit =
      typeof actual === 'number' &&
      (clause.operator === '>'
        ? actual > value
        : clause.operator === '<'
          ? actual < value
          : clause.operator === '>='
            ? actual >= value
            : actual <= value);
  }
  return clause.negated ? !hit : hit;
}

function parse(
  query: string,
  fields: Readonly<Record<string, SearchFieldType>>,
): { clauses: Clause[]; join: 'AND' | 'OR' } {
  let at = 0;
  const fail = (why: string): never => {
    throw new SearchQueryError(`${why} (at position ${at} of the query)`);
  };
  const skipSpaces = (): boolean => {
    const start = at;
    while (at < query.length && /\s/.test(query[at] ?? '')) at += 1;
    return at > start;
  };
  const quoted = (): string => {
    const quote = query[at];
    if (quote !== "'" && quote !== '"') return fail('Expected a quoted string');
    at += 1;
    let text = '';
    while (at < query.length && query[at] !== quote) {
      if (query[at] === '\\') at += 1;
      if (at >= query.length) break;
      text += query[at];
      at += 1;
    }
    if (query[at] !== quote) fail('A quoted string is not closed');
    at += 1;
    return text;
  };
  const clause = (): Clause => {
    const negated = query[at] === '-';
    if (negated) at += 1;
    const name = /^[a-z_][a-z0-9_.]*/i.exec(query.slice(at))?.[0];
    if (!name) return fail('Expected a field name');
    at += name.length;
    let field: Clause['field'];
    if (name === 'metadata') {
      if (query[at] !== '[') return fail("Expected a metadata key, as in metadata['key']");
      at += 1;
      const key = quoted();
      if (query[at] !== ']') return fail('Expected ] after the metadata key');
      at += 1;
      field = { kind: 'metadata', key };
    } else {
      const type = fields[name];
      if (!type)
        return fail(
          `Field '${name}' is not supported in this search; use one of ${[...Object.keys(fields), "metadata['key']"].join(', ')}`,
        );
      field = { kind: 'field', name, type };
    }
    const operator = /^(>=|<=|:|>|<)/.exec(query.slice(at))?.[0] as Operator | undefined;
    if (!operator) return fail(`Expected an operator (:, >, <, >=, <=) after '${name}'`);
    at += operator.length;
    const numeric = /^-?\d+(\.\d+)?(?![\w.])/.exec(query.slice(at))?.[0];
    let value: string | number;
    if (numeric !== undefined) {
      value = Number(numeric);
      at += numeric.length;
    } else value = quoted();
    const isNumericField = field.kind === 'field' && field.type === 'numeric';
    if (operator !== ':' && (!isNumericField || typeof value !== 'number'))
      fail(`'${operator}' compares numbers only, on a numeric field`);
    if (isNumericField && typeof value !== 'number') fail(`'${name}' takes a number`);
    if (!isNumericField && typeof value === 'number') value = String(value);
    return { negated, field, operator, value };
  };

  skipSpaces();
  if (at >= query.length) fail('The query is empty');
  const clauses = [clause()];
  let join: 'AND' | 'OR' | undefined;
  while (at < query.length) {
    const spaced = skipSpaces();
    if (at >= query.length) break;
    if (!spaced) fail('Expected a space, AND or OR between clauses');
    let next: 'AND' | 'OR' = 'AND';
    const keyword = /^(and|or)\s/i.exec(query.slice(at))?.[1];
    if (keyword) {
      next = keyword.toUpperCase() as 'AND' | 'OR';
      at += keyword.length;
      skipSpaces();
    }
    if (join && join !== next) fail('AND and OR cannot be combined in one query');
    join = next;
    clauses.push(clause());
  }
  return { clauses, join: join ?? 'AND' };
}
