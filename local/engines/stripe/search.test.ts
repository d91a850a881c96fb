import { describe, expect, it } from 'vitest';
import { compileSearch, SearchQueryError, type Searchable } from './search';

const FIELDS = { amount: 'numeric', status: 'string', currency: 'string' } as const;

const records: (Searchable & Record<string, unknown>)[] = [
  {
    id: 'a',
    amount: 500,
    status: 'requires_capture',
    currency: 'usd',
    metadata: { orderId: 'o-1' },
  },
  { id: 'b', amount: 1500, status: 'succeeded', currency: 'eur', metadata: { orderId: 'o-2' } },
  { id: 'c', amount: 2500, status: 'canceled', currency: 'usd', metadata: { orderId: "o'3" } },
  { id: 'd', amount: 700, status: 'succeeded', currency: 'usd', metadata: {} },
];

const search = (query: string) => records.filter(compileSearch(query, FIELDS)).map((r) => r.id);

describe('Function: compileSearch', () => {
  it.each([
    ["metadata['orderId']:'o-1'", ['a']],
    ['metadata["orderId"]:"o-2"', ['b']],
    ["metadata['orderId']:'o\\'3'", ['c']],
    ["metadata['orderId']:'nobody'", []],
    ["status:'succeeded' currency:'usd'", ['d']],
    ["status:'succeeded' AND currency:'usd'", ['d']],
    ["status:'canceled' or metadata['orderId']:'o-1'", ['a', 'c']],
    ["-currency:'usd'", ['b']],
    ['amount>=1500', ['b', 'c']],
    ['amount<700', ['a']],
    ['amount:700', ['d']],
    ["  metadata['orderId']:'o-1'  ", ['a']],
  ])('%s finds %j', (query, ids) => {
    expect(search(query)).toEqual(ids);
  });

  it.each([
    ['', /empty/],
    ["metadata['orderId']:o-1", /quoted string/],
    ["metadata['orderId']:'o-1", /not closed/],
    ["metadata[orderId]:'o-1'", /quoted string/],
    ["description:'x'", /Field 'description' is not supported/],
    ["status:'a' AND currency:'usd' OR amount:1", /cannot be combined/],
    ["status>'a'", /compares numbers only/],
    ["amount:'big'", /takes a number/],
    ["status='succeeded'", /Expected an operator/],
    ["status:'a'currency:'usd'", /Expected a space/],
  ])('refuses %j clearly', (query, message) => {
    expect(() => compileSearch(query, FIELDS)).toThrow(SearchQueryError);
    expect(() => compileSearch(query, FIELDS)).toThrow(message);
  });
});
