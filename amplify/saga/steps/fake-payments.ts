import type { PaymentIntentState } from '../../domain/payment';
import type { Payments } from '../../functions/shared/stripe';

/**
 * Stripe's PaymentIntents in memory, for the payment steps' tests: calls are recorded with their
 * idempotency keys, and `failWith` makes the next call throw what the Stripe SDK would.
 */
export const fakePayments = (...existing: PaymentIntentState[]) => {
  const intents = new Map(existing.map((intent) => [intent.id, { ...intent }]));
  const calls: { call: string; id?: string; key?: string; params?: unknown }[] = [];
  let failure: unknown;
  const maybeFail = () => {
    const error = failure;
    failure = undefined;
    if (error) throw error;
  };
  const intent = (id: string) => {
    const found = intents.get(id);
    if (!found)
      throw Object.assign(new Error(`No such payment_intent: '${id}'`), {
        type: 'StripeInvalidRequestError',
        statusCode: 404,
      });
    return found;
  };
  const payments: Payments = {
    paymentIntents: {
      async create(params, options) {
        calls.push({ call: 'create', key: options.idempotencyKey, params });
        maybeFail();
        const declined = params.payment_method === 'pm_card_chargeDeclined';
        const asksBank = params.payment_method === 'pm_card_authenticationRequired';
        const created = {
          id: `pi_${intents.size + 1}`,
          status: declined
            ? 'requires_payment_method'
            : asksBank
              ? 'requires_action'
              : 'requires_capture',
          metadata: params.metadata as Record<string, string>,
        };
        intents.set(created.id, created);
        return created;
      },
      async retrieve(id) {
        calls.push({ call: 'retrieve', id });
        maybeFail();
        return intent(id);
      },
      async capture(id, _params, options) {
        calls.push({ call: 'capture', id, key: options.idempotencyKey });
        maybeFail();
        return Object.assign(intent(id), { status: 'succeeded' });
      },
      async cancel(id, _params, options) {
        calls.push({ call: 'cancel', id, key: options.idempotencyKey });
        maybeFail();
        return Object.assign(intent(id), { status: 'canceled' });
      },
      async *search(params) {
        calls.push({ call: 'search', params });
        maybeFail();
        yield* intents.values();
      },
    },
    refunds: {
      async create(params, options) {
        calls.push({ call: 'refund', id: params.payment_intent, key: options.idempotencyKey });
        maybeFail();
        return { id: 're_1' };
      },
    },
  };
  return {
    deps: { payments },
    intents,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
  };
};
