/** Refunds of a captured charge, whole or in parts, never more than was captured. */
import { z } from 'zod';
import {
  invalid,
  id,
  now,
  metadataSchema,
  amountSchema,
  common,
  parse,
  type PaymentIntent,
  type Refund,
  type Route,
} from './model';
import type { Ledger } from './ledger';

/** The Refunds endpoints. */
export function refundRoutes(ledger: Ledger): Route[] {
  const { refunds, charges, save, intentOf } = ledger;
  const refundSchema = z
    .object({
      ...common,
      payment_intent: z.string().optional(),
      charge: z.string().optional(),
      amount: amountSchema('amount').optional(),
      reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
      metadata: metadataSchema,
    })
    .strict();

  return [
    {
      method: 'POST',
      pattern: /^\/v1\/refunds$/,
      operation: 'refunds.create',
      run: (params) => {
        const input = parse(refundSchema, params);
        let intent: PaymentIntent | undefined;
        if (input.payment_intent) intent = intentOf(input.payment_intent, 'payment_intent');
        else if (input.charge) {
          const charge = charges.get(input.charge);
          if (!charge)
            throw invalid(`No such charge: '${input.charge}'`, 'charge', 'resource_missing', 404);
          intent = intentOf(charge.payment_intent, 'charge');
        } else
          throw invalid(
            'One of the following params should be provided for this request: payment_intent or charge.',
            undefined,
            'parameter_missing',
          );
        const charge = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
        if (intent.status !== 'succeeded' || !charge)
          throw invalid(
            `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
            'payment_intent',
            'charge_not_refundable',
          );
        const remaining = charge.amount_captured - charge.amount_refunded;
        if (remaining <= 0)
          throw invalid(
            `Charge ${charge.id} has already been refunded.`,
            undefined,
            'charge_already_refunded',
          );
        const amount = input.amount ?? remaining;
        if (amount <= 0) throw invalid('Invalid positive integer', 'amount');
        if (amount > remaining)
          throw invalid(
            `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})`,
            'amount',
            'amount_too_large',
          );
        save({ t: 'ch', v: { ...charge, amount_refunded: charge.amount_refunded + amount } });
        const refund: Refund = {
          id: id('re'),
          object: 'refund',
          amount,
          charge: charge.id,
          currency: intent.currency,
          payment_intent: intent.id,
          reason: input.reason ?? null,
          status: 'succeeded',
          metadata: input.metadata ?? {},
          created: now(),
        };
        save({ t: 're', v: refund });
        return refund;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/refunds\/([^/]+)$/,
      operation: 'refunds.retrieve',
      run: (_params, match) => {
        const refund = refunds.get(match[1] ?? '');
        if (!refund) throw invalid(`No such refund: '${match[1]}'`, 'id', 'resource_missing', 404);
        return refund;
      },
    },
  ];
}
