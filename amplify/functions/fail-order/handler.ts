import { runFailure } from '../../saga/runner';
import { failOrder } from '../../saga/steps/fail-order';

/** Lambda of the saga's FailOrder state. */
export const handler = runFailure(failOrder);
