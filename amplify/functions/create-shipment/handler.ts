import { runStep } from '../../saga/runner';
import { createShipment } from '../../saga/steps/create-shipment';

/** Lambda of the saga's CreateShipment state. */
export const handler = runStep(createShipment);
