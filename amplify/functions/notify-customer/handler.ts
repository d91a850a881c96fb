import { runStep } from '../../saga/runner';
import { notifyCustomer } from '../../saga/steps/notify-customer';

/** Lambda of the saga's NotifyCustomer state. */
export const handler = runStep(notifyCustomer);
