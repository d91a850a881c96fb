import { runCompensation } from '../../saga/runner';
import { releaseInventory } from '../../saga/steps/reserve-inventory';

/** Lambda of the saga's ReleaseInventory state. */
export const handler = runCompensation(releaseInventory);
