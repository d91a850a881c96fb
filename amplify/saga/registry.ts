import { authorizePayment } from './steps/authorize-payment';
import { capturePayment } from './steps/capture-payment';
import { completeOrder } from './steps/complete-order';
import { createShipment } from './steps/create-shipment';
import { failOrder } from './steps/fail-order';
import { generateReceipt } from './steps/generate-receipt';
import { notifyCustomer } from './steps/notify-customer';
import { reserveInventory } from './steps/reserve-inventory';
import { validateOrder } from './steps/validate-order';
import { waitForBank } from './steps/wait-for-bank';
import type { Compensation, FailureStep, ForwardStep, SagaLambda, Wait } from './step';

/** The order saga's forward steps, in the order they run. Adding a step is one line here. */
export const FORWARD_STEPS: readonly ForwardStep[] = [
  validateOrder,
  authorizePayment,
  reserveInventory,
  capturePayment,
  generateReceipt,
  notifyCustomer,
  createShipment,
  completeOrder,
];

/** Pauses a forward step may ask for (each runs with a task token; see step.ts's Wait). */
export const WAITS: readonly Wait[] = [waitForBank];

/** Runs after the compensations, whatever failed: the order becomes FAILED and everyone is told. */
export const FAILURE_STEP: FailureStep = failOrder;

/** The compensations, each undoing the step it belongs to, in reverse forward order. */
export const COMPENSATIONS: readonly Compensation[] = FORWARD_STEPS.flatMap((step) =>
  step.compensation ? [step.compensation] : [],
).reverse();

/** Every saga Lambda: forward steps, compensations, the failure step. */
export const SAGA_LAMBDAS: readonly SagaLambda[] = [
  ...FORWARD_STEPS,
  ...WAITS,
  ...COMPENSATIONS,
  FAILURE_STEP,
];
