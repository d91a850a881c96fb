/** PaymentMethods: cards from Stripe's test numbers and test tokens, checked as stripe.js checks them. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { checkCard, TEST_CARDS, TEST_TOKENS, type CardOutcome, type TestCard } from './cards';
import type { FormValue } from './form';
import {
  StripeApiError,
  invalid,
  id,
  now,
  metadataSchema,
  common,
  parse,
  type PaymentMethod,
  type Route,
} from './model';
import type { Ledger } from './ledger';

/** The PaymentMethods endpoints, and the lookup the PaymentIntents use. */
export function paymentMethods(ledger: Ledger) {
  const { methods, save } = ledger;
  /** A card PaymentMethod from a test card's details (only its last four digits are kept). */
  const cardMethod = (
    methodId: string,
    card: TestCard,
    details: { expMonth: number; expYear: number; cvc: boolean; postalCode: string | null },
  ): PaymentMethod => ({
    id: methodId,
    object: 'payment_method',
    type: 'card',
    billing_details: {
      address: {
        city: null,
        country: null,
        line1: null,
        line2: null,
        postal_code: details.postalCode,
        state: null,
      },
      email: null,
      name: null,
      phone: null,
    },
    card: {
      brand: card.brand,
      checks: {
        address_line1_check: null,
        address_postal_code_check: details.postalCode ? 'pass' : null,
        cvc_check: details.cvc ? 'pass' : null,
      },
      country: 'US',
      exp_month: details.expMonth,
      exp_year: details.expYear,
      // Stripe's fingerprint is the same for one number across PaymentMethods.
      fingerprint: createHash('sha256').update(card.number).digest('base64url').slice(0, 16),
      funding: card.funding,
      last4: card.number.slice(-4),
    },
    created: now(),
    customer: null,
    livemode: false,
    metadata: {},
  });

  /** A PaymentMethod created here, or one of Stripe's `pm_card_*` test PaymentMethods. */
  const paymentMethodOf = (
    pm: string,
  ): { method: PaymentMethod; outcome: CardOutcome } | undefined => {
    const created = methods.get(pm);
    if (created) return created;
    const number = TEST_TOKENS[pm];
    const card = number ? TEST_CARDS.get(number) : undefined;
    if (!card) return undefined;
    const method = cardMethod(pm, card, {
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: true,
      postalCode: null,
    });
    return { method, outcome: card.outcome };
  };

  const checkPaymentMethod = (pm: string) => {
    if (!paymentMethodOf(pm))
      throw invalid(`No such PaymentMethod: '${pm}'`, 'payment_method', 'resource_missing');
  };

  const paymentMethodSchema = z
    .object({
      ...common,
      type: z.string(),
      card: z
        .object({
          number: z.string().optional(),
          exp_month: z.string().optional(),
          exp_year: z.string().optional(),
          cvc: z.string().optional(),
        })
        .strict()
        .optional(),
      billing_details: z
        .object({
          address: z
            .object({
              city: z.string(),
              country: z.string(),
              line1: z.string(),
              line2: z.string(),
              postal_code: z.string().max(20),
              state: z.string(),
            })
            .partial()
            .strict()
            .optional(),
          email: z.string(),
          name: z.string(),
          phone: z.string(),
        })
        .partial()
        .strict()
        .optional(),
      metadata: metadataSchema,
      payment_user_agent: z.string().optional(),
    })
    .strict();

  /** POST /v1/payment_methods: a card PaymentMethod from a test card number, checked as Stripe checks it. */
  const createPaymentMethod = (params: Record<string, FormValue>): PaymentMethod => {
    const input = parse(paymentMethodSchema, params);
    if (input.type !== 'card')
      throw invalid(
        `Invalid type: the local Stripe creates card PaymentMethods only, not '${input.type}'.`,
        'type',
      );
    if (!input.card) throw invalid('Missing required param: card.', 'card', 'parameter_missing');
    const checked = checkCard(input.card);
    if (!checked.ok) {
      const { status, ...body } = checked.refusal;
      throw new StripeApiError(status, {
        ...body,
        ...(body.type === 'card_error'
          ? { doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, '-')}` }
          : {}),
      });
    }
    const address = input.billing_details?.address;
    const method: PaymentMethod = {
      ...cardMethod(id('pm'), checked.card, {
        expMonth: checked.expMonth,
        expYear: checked.expYear,
        cvc: input.card.cvc !== undefined,
        postalCode: address?.postal_code ?? null,
      }),
      billing_details: {
        address: {
          city: address?.city ?? null,
          country: address?.country ?? null,
          line1: address?.line1 ?? null,
          line2: address?.line2 ?? null,
          postal_code: address?.postal_code ?? null,
          state: address?.state ?? null,
        },
        email: input.billing_details?.email ?? null,
        name: input.billing_details?.name ?? null,
        phone: input.billing_details?.phone ?? null,
      },
      metadata: input.metadata ?? {},
    };
    save({ t: 'pm', v: method, outcome: checked.card.outcome });
    return method;
  };

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/payment_methods$/,
      operation: 'payment_methods.create',
      publishable: true,
      run: (params) => createPaymentMethod(params),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/payment_methods\/([^/]+)$/,
      operation: 'payment_methods.retrieve',
      run: (_params, match) => {
        const found = paymentMethodOf(match[1] ?? '');
        if (!found)
          throw invalid(`No such PaymentMethod: '${match[1]}'`, 'id', 'resource_missing', 404);
        return found.method;
      },
    },
  ];
  return { routes, paymentMethodOf, checkPaymentMethod };
}

/** What the PaymentIntents use of the PaymentMethods. */
export type PaymentMethods = ReturnType<typeof paymentMethods>;
