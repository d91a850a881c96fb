import { runCompensation } from '../../saga/runner';
import { voidPayment } from '../../saga/steps/authorize-payment';

/** Lambda of the saga's VoidPayment state. */
export const handler = runCompensation(voidPayment);
