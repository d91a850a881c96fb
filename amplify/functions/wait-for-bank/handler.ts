import { runWait } from '../../saga/runner';
import { waitForBank } from '../../saga/steps/wait-for-bank';

export const handler = runWait(waitForBank);
