import { runStep } from '../../saga/runner';
import { reserveInventory } from '../../saga/steps/reserve-inventory';

/** Lambda of the saga's ReserveInventory state. */
export const handler = runStep(reserveInventory);
