import { z } from 'zod';
import { OrderError, OrderNotFoundError, OrderValidationError } from '../../domain/errors';
import { isOwnedBy } from '../../domain/identity';
import type { Order } from '../../domain/order';
import type { PaymentIntentState } from '../../domain/payment';
import { toShopperError } from '../shared/api-errors';
import { appSyncEventSchema, cognitoIdentitySchema } from '../shared/events';
import { findOrder } from '../shared/orders';
import { stripe } from '../shared/stripe';
import { observed } from '../shared/observability';

const argumentsSchema = z.object({ orderId: z.string().min(1).max(128) });

/** What the order page needs to let the shopper's bank confirm the payment. */
export interface PaymentAction {
  clientSecret: string;
  paymentIntentId: string;
  redirectUrl: string | null;
}

type IntentWithAction = PaymentIntentState & {
  next_action?: { type?: string; redirect_to_url?: { url?: string | null } | null } | null;
};

export interface PaymentActionDeps {
  findOrder: (id: string) => Promise<Order | null>;
  retrieveIntent: (id: string) => Promise<IntentWithAction>;
}

/**
 * The paymentAction logic: only the order's owner (not even an operator: the client secret can
 * confirm the payment) gets it, and only while the order waits on the bank (ACTION_REQUIRED).
 */
export const paymentActionWith =
  (deps: PaymentActionDeps) =>
  async (event: unknown): Promise<PaymentAction> => {
    try {
      const { arguments: args, identity } = appSyncEventSchema.parse(event);
      const parsedArgs = argumentsSchema.safeParse(args);
      if (!parsedArgs.success)
        throw new OrderValidationError('INVALID_ORDER', 'orderId is required', {
          field: 'orderId',
        });
      const { orderId } = parsedArgs.data;
      const caller = cognitoIdentitySchema.safeParse(identity);
      const order = await deps.findOrder(orderId);
      // Someone else's order answers exactly like a missing one, so ids cannot be probed.
      if (!order || !caller.success || !isOwnedBy(order.owner, caller.data.sub))
        throw new OrderNotFoundError(orderId);
      if (order.status !== 'ACTION_REQUIRED' || !order.paymentIntentId)
        throw new OrderError('PAYMENT_FAILED', `order ${orderId} is not waiting on the bank`);
      const intent = await deps.retrieveIntent(order.paymentIntentId);
      if (intent.status !== 'requires_action' || !intent.client_secret)
        throw new OrderError('PAYMENT_FAILED', `payment ${intent.id} needs no confirmation now`);
      return {
        clientSecret: intent.client_secret,
        paymentIntentId: intent.id,
        redirectUrl: intent.next_action?.redirect_to_url?.url ?? null,
      };
    } catch (error) {
      throw toShopperError(error);
    }
  };

/** AppSync resolver for paymentAction. */
export const handler = observed(
  paymentActionWith({
    findOrder,
    retrieveIntent: async (id) => (await stripe().paymentIntents.retrieve(id)) as IntentWithAction,
  }),
);
