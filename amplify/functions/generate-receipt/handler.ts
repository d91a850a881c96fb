import { runStep } from '../../saga/runner';
import { generateReceipt } from '../../saga/steps/generate-receipt';

/** Lambda of the saga's GenerateReceipt state. */
export const handler = runStep(generateReceipt);
