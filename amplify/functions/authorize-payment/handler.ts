import { runStep } from '../../saga/runner';
import { authorizePayment } from '../../saga/steps/authorize-payment';

/** Lambda of the saga's AuthorizePayment state. */
export const handler = runStep(authorizePayment);
