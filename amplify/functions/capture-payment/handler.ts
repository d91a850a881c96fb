import { runStep } from '../../saga/runner';
import { capturePayment } from '../../saga/steps/capture-payment';

/** Lambda of the saga's CapturePayment state. */
export const handler = runStep(capturePayment);
