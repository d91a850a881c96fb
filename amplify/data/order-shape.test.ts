import { describe, expectTypeOf, it } from 'vitest';
import type { Order } from '../domain/order';
import type { Schema } from './resource';

/*
 * A type-level test: `npm run typecheck` (tsc over amplify/) fails when the domain's Order and the
 * schema's Order model drift apart, a field added, dropped, renamed, retyped or made optional on
 * one side only. The statuses cannot drift: the schema's enum is the domain's ORDER_STATUSES.
 */
describe('The order shape', () => {
  it('is the same in the domain and in the data schema', () => {
    expectTypeOf<Schema['Order']['type']>().toEqualTypeOf<Order>();
  });
});
