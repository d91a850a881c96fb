import { runStep } from '../../saga/runner';
import { completeOrder } from '../../saga/steps/complete-order';

/** Lambda of the saga's CompleteOrder state. */
export const handler = runStep(completeOrder);
