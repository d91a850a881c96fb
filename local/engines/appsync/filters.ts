import { AppSyncResolverError } from './errors';

/** A model filter or condition input (`ModelXFilterInput`, `ModelXConditionInput`, subscription filters). */
export type FilterInput = Record<string, unknown>;

const COMPARATORS: Record<string, string> = {
  eq: '=',
  ne: '<>',
  le: '<=',
  lt: '<',
  ge: '>=',
  gt: '>',
};
const ATTRIBUTE_TYPES: Record<string, string> = {
  binary: 'B',
  binarySet: 'BS',
  bool: 'BOOL',
  list: 'L',
  map: 'M',
  number: 'N',
  numberSet: 'NS',
  string: 'S',
  stringSet: 'SS',
  _null: 'NULL',
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects names and values while compiling filters into one DynamoDB expression. */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private counter = 0;

  name(field: string): string {
    const key = `#${field.replace(/[^A-Za-z0-9_]/g, '_')}`;
    this.names[key] = field;
    return key;
  }

  value(v: unknown): string {
    const key = `:v${this.counter++}`;
    this.values[key] = v;
    return key;
  }

  /** Compiles Amplify's filter/condition input (and/or/not plus per-field operators). */
  compile(filter: FilterInput | null | undefined): string | undefined {
    if (!isRecord(filter)) return undefined;
    const parts: string[] = [];
    for (const [key, spec] of Object.entries(filter)) {
      if (spec === undefined || spec === null) continue;
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(spec)) continue;
        const inner = spec
          .map((f) => this.compile(f as FilterInput))
          .filter((s): s is string => Boolean(s));
        if (inner.length > 0) parts.push(`(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`);
      } else if (key === 'not') {
        const inner = this.compile(spec as FilterInput);
        if (inner) parts.push(`(NOT ${inner})`);
      } else if (isRecord(spec)) {
        parts.push(...this.fieldConditions(key, spec));
      }
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
  }

  private fieldConditions(field: string, ops: Record<string, unknown>): string[] {
    const n = this.name(field);
    const out: string[] = [];
    for (const [op, arg] of Object.entries(ops)) {
      if (arg === undefined) continue;
      const comparator = COMPARATORS[op];
      if (comparator) {
        out.push(`${n} ${comparator} ${this.value(arg)}`);
      } else if (op === 'between') {
        if (!Array.isArray(arg) || arg.length !== 2) {
          throw new AppSyncResolverError(
            `'between' on ${field} needs exactly two values`,
            'InvalidArgumentsError',
          );
        }
        out.push(`${n} BETWEEN ${this.value(arg[0])} AND ${this.value(arg[1])}`);
      } else if (op === 'contains') {
        out.push(`contains(${n}, ${this.value(arg)})`);
      } else if (op === 'notContains') {
        out.push(`NOT contains(${n}, ${this.value(arg)})`);
      } else if (op === 'beginsWith') {
        out.push(`begins_with(${n}, ${this.value(arg)})`);
      } else if (op === 'attributeExists') {
        out.push(arg ? `attribute_exists(${n})` : `attribute_not_exists(${n})`);
      } else if (op === 'attributeType') {
        const t = ATTRIBUTE_TYPES[String(arg)];
        if (!t)
          throw new AppSyncResolverError(
            `Unknown attributeType ${String(arg)}`,
            'InvalidArgumentsError',
          );
        out.push(`attribute_type(${n}, ${this.value(t)})`);
      } else if (op === 'size' && isRecord(arg)) {
        for (const [sizeOp, sizeArg] of Object.entries(arg)) {
          if (sizeArg === undefined || sizeArg === null) continue;
          const c = COMPARATORS[sizeOp];
          if (c) out.push(`size(${n}) ${c} ${this.value(sizeArg)}`);
          else if (sizeOp === 'between' && Array.isArray(sizeArg) && sizeArg.length === 2) {
            out.push(`size(${n}) BETWEEN ${this.value(sizeArg[0])} AND ${this.value(sizeArg[1])}`);
          }
        }
      } else if ((op === 'in' || op === 'notIn') && Array.isArray(arg)) {
        const list = `${n} IN (${arg.map((a) => this.value(a)).join(', ')})`;
        out.push(op === 'in' ? list : `NOT (${list})`);
      } else {
        throw new AppSyncResolverError(
          `Unsupported filter operator ${op} on ${field}`,
          'InvalidArgumentsError',
        );
      }
    }
    return out;
  }

  /** The names/values to hand to the SDK (undefined when empty, as DynamoDB insists). */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b ||
  (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

function matchField(value: unknown, ops: Record<string, unknown>): boolean {
  for (const [op, arg] of Object.entries(ops)) {
    if (arg === undefined || arg === null) continue;
    const c = compare(value, arg);
    switch (op) {
      case 'eq':
        if (!sameValue(value, arg)) return false;
        break;
      case 'ne':
        if (sameValue(value, arg)) return false;
        break;
      case 'lt':
        if (c === undefined || c >= 0) return false;
        break;
      case 'le':
        if (c === undefined || c > 0) return false;
        break;
      case 'gt':
        if (c === undefined || c <= 0) return false;
        break;
      case 'ge':
        if (c === undefined || c < 0) return false;
        break;
      case 'between': {
        if (!Array.isArray(arg) || arg.length !== 2) return false;
        const lo = compare(value, arg[0]);
        const hi = compare(value, arg[1]);
        if (lo === undefined || hi === undefined || lo < 0 || hi > 0) return false;
        break;
      }
      case 'contains':
      case 'notContains': {
        const has =
          typeof value === 'string'
            ? value.includes(String(arg))
            : Array.isArray(value) && value.some((v) => sameValue(v, arg));
        if (has !== (op === 'contains')) return false;
        break;
      }
      case 'beginsWith':
        if (typeof value !== 'string' || !value.startsWith(String(arg))) return false;
        break;
      case 'in':
        if (!Array.isArray(arg) || !arg.some((a) => sameValue(a, value))) return false;
        break;
      case 'notIn':
        if (Array.isArray(arg) && arg.some((a) => sameValue(a, value))) return false;
        break;
      case 'attributeExists':
        if ((value !== undefined && value !== null) !== Boolean(arg)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Evaluates a subscription filter against a record in memory (AppSync's enhanced filtering). */
export function matchesFilter(
  filter: FilterInput | null | undefined,
  record: Record<string, unknown>,
): boolean {
  if (!isRecord(filter)) return true;
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === undefined || spec === null) continue;
    if (key === 'and') {
      if (Array.isArray(spec) && !spec.every((f) => matchesFilter(f as FilterInput, record)))
        return false;
    } else if (key === 'or') {
      if (
        Array.isArray(spec) &&
        spec.length > 0 &&
        !spec.some((f) => matchesFilter(f as FilterInput, record))
      )
        return false;
    } else if (key === 'not') {
      if (matchesFilter(spec as FilterInput, record)) return false;
    } else if (isRecord(spec)) {
      if (!matchField(record[key], spec)) return false;
    }
  }
  return true;
}
