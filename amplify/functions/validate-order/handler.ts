import { runStep } from '../../saga/runner';
import { validateOrder } from '../../saga/steps/validate-order';

/** Lambda of the saga's ValidateOrder state. */
export const handler = runStep(validateOrder);
