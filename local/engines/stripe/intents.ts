/** PaymentIntents: create, confirm (declines from the test cards), update, capture and cancel. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ASKS_BANK, DECLINES } from './cards';
import {
  StripeApiError,
  invalid,
  CANCELABLE,
  id,
  now,
  metadataSchema,
  amountSchema,
  bool,
  common,
  checkAmount,
  parse,
  type PaymentIntent,
  type Route,
} from './model';
import type { Ledger } from './ledger';
import type { PaymentMethods } from './payment-methods';

/** The PaymentIntents endpoints (search aside). */
export function paymentIntents(
  ledger: Ledger,
  methods: PaymentMethods,
  authenticationUrl: (intent: PaymentIntent) => string,
): { routes: Route[]; authenticate: (intentId: string, completed: boolean) => PaymentIntent } {
  const { intents, charges, save, intentOf } = ledger;
  const { paymentMethodOf, checkPaymentMethod } = methods;
  /** Confirms: succeeds into requires_capture or succeeded, or declines with a 402 card_error. */
  const confirm = (intent: PaymentIntent): PaymentIntent => {
    const pm = intent.payment_method;
    if (!pm)
      throw invalid(
        'You cannot confirm this PaymentIntent because it has no payment method. Provide a payment_method.',
        'payment_method',
        'payment_intent_unexpected_state',
      );
    const found = paymentMethodOf(pm);
    // 3-D Secure: the bank asks first, unless the shopper has just answered it (settle()).
    if (found && ASKS_BANK.has(found.outcome) && !bankAnswered.has(intent.id)) {
      const asking: PaymentIntent = {
        ...intent,
        status: 'requires_action',
        next_action: {
          type: 'redirect_to_url',
          redirect_to_url: { url: authenticationUrl(intent), return_url: null },
        },
        last_payment_error: null,
      };
      save({ t: 'pi', v: asking });
      return asking;
    }
    return settle(intent);
  };

  /** Intents whose 3-D Secure the shopper has completed: their confirmation goes on to the card. */
  const bankAnswered = new Set<string>();

  /** The card's own answer, once any authentication is behind it. */
  const settle = (intent: PaymentIntent): PaymentIntent => {
    const pm = intent.payment_method ?? '';
    const chargeId = id('ch');
    const found = paymentMethodOf(pm);
    const outcome =
      found?.outcome === 'authenticate_then_decline' ? 'insufficient_funds' : found?.outcome;
    const decline =
      outcome && outcome !== 'succeeds' && outcome !== 'authenticate'
        ? DECLINES[outcome]
        : undefined;
    if (found && decline) {
      const error = {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.decline_code,
        message: decline.message,
        charge: chargeId,
        doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
        payment_method: found.method,
        ...(decline.param ? { param: decline.param } : {}),
      };
      const declined: PaymentIntent = {
        ...intent,
        status: 'requires_payment_method',
        next_action: null,
        payment_method: null,
        latest_charge: chargeId,
        last_payment_error: error,
      };
      save({ t: 'pi', v: declined });
      throw new StripeApiError(402, { ...error, payment_intent: declined });
    }
    const manual = intent.capture_method === 'manual';
    save({
      t: 'ch',
      v: {
        id: chargeId,
        amount: intent.amount,
        amount_captured: manual ? 0 : intent.amount,
        amount_refunded: 0,
        payment_intent: intent.id,
      },
    });
    const confirmed: PaymentIntent = {
      ...intent,
      status: manual ? 'requires_capture' : 'succeeded',
      amount_capturable: manual ? intent.amount : 0,
      amount_received: manual ? 0 : intent.amount,
      latest_charge: chargeId,
      last_payment_error: null,
      next_action: null,
    };
    save({ t: 'pi', v: confirmed });
    return confirmed;
  };

  /**
   * The shopper's answer on the authentication page: completed goes on to the card (which may
   * still decline), failed leaves the intent needing a new payment method, as Stripe does.
   */
  const authenticate = (intentId: string, completed: boolean): PaymentIntent => {
    const intent = intentOf(intentId);
    if (intent.status !== 'requires_action')
      throw invalid(
        `This PaymentIntent's status is ${intent.status}; there is nothing to authenticate.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    if (completed) {
      bankAnswered.add(intent.id);
      try {
        return settle(intent);
      } catch (error) {
        if (error instanceof StripeApiError && error.body.payment_intent)
          return error.body.payment_intent;
        throw error;
      }
    }
    const failed: PaymentIntent = {
      ...intent,
      status: 'requires_payment_method',
      next_action: null,
      payment_method: null,
      last_payment_error: {
        type: 'invalid_request_error',
        code: 'payment_intent_authentication_failure',
        message:
          'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
        payment_method: intent.payment_method
          ? paymentMethodOf(intent.payment_method)?.method
          : null,
      },
    };
    save({ t: 'pi', v: failed });
    return failed;
  };

  const createSchema = z
    .object({
      ...common,
      amount: amountSchema('amount'),
      currency: z
        .string()
        .regex(/^[a-zA-Z]{3}$/)
        .transform((c) => c.toLowerCase()),
      payment_method: z.string().optional(),
      payment_method_types: z.array(z.string()).optional(),
      confirm: bool.optional(),
      capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
      confirmation_method: z.enum(['automatic', 'manual']).optional(),
      description: z.string().optional(),
      receipt_email: z.string().optional(),
      customer: z.string().optional(),
      metadata: metadataSchema,
      automatic_payment_methods: z.unknown().optional(),
      return_url: z.string().optional(),
      off_session: z.unknown().optional(),
      statement_descriptor: z.string().optional(),
      statement_descriptor_suffix: z.string().optional(),
    })
    .strict();
  const confirmSchema = z
    .object({
      ...common,
      payment_method: z.string().optional(),
      return_url: z.string().optional(),
      capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
      receipt_email: z.string().optional(),
      off_session: z.unknown().optional(),
    })
    .strict();
  const updateSchema = z
    .object({
      ...common,
      amount: amountSchema('amount').optional(),
      description: z.string().optional(),
      receipt_email: z.string().optional(),
      metadata: metadataSchema,
      payment_method: z.string().optional(),
      capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
    })
    .strict();
  const captureSchema = z
    .object({
      ...common,
      amount_to_capture: amountSchema('amount_to_capture').optional(),
      metadata: metadataSchema,
    })
    .strict();
  const cancelSchema = z
    .object({
      ...common,
      cancellation_reason: z
        .enum(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'])
        .optional(),
    })
    .strict();
  return {
    authenticate,
    routes: [
      {
        method: 'POST',
        pattern: /^\/v1\/payment_intents$/,
        operation: 'payment_intents.create',
        run: (params) => {
          const input = parse(createSchema, params);
          checkAmount(input.amount);
          if (input.payment_method) checkPaymentMethod(input.payment_method);
          const intentId = id('pi');
          const intent: PaymentIntent = {
            id: intentId,
            object: 'payment_intent',
            amount: input.amount,
            amount_capturable: 0,
            amount_received: 0,
            currency: input.currency,
            status: input.payment_method ? 'requires_confirmation' : 'requires_payment_method',
            capture_method: input.capture_method ?? 'automatic_async',
            confirmation_method: input.confirmation_method ?? 'automatic',
            client_secret: `${intentId}_secret_${randomBytes(12).toString('hex')}`,
            created: now(),
            canceled_at: null,
            cancellation_reason: null,
            description: input.description ?? null,
            receipt_email: input.receipt_email ?? null,
            customer: input.customer ?? null,
            metadata: input.metadata ?? {},
            payment_method: input.payment_method ?? null,
            payment_method_types: input.payment_method_types ?? ['card'],
            last_payment_error: null,
            latest_charge: null,
            next_action: null,
            livemode: false,
          };
          save({ t: 'pi', v: intent });
          return input.confirm ? confirm(intent) : intent;
        },
      },
      {
        method: 'GET',
        pattern: /^\/v1\/payment_intents$/,
        operation: 'payment_intents.list',
        run: () => ({
          object: 'list',
          url: '/v1/payment_intents',
          has_more: false,
          data: [...intents.values()].sort((a, b) => b.created - a.created),
        }),
      },
      {
        method: 'GET',
        pattern: /^\/v1\/payment_intents\/([^/]+)$/,
        operation: 'payment_intents.retrieve',
        run: (_params, match) => intentOf(match[1] ?? ''),
      },
      {
        method: 'POST',
        pattern: /^\/v1\/payment_intents\/([^/]+)$/,
        operation: 'payment_intents.update',
        run: (params, match) => {
          const intent = intentOf(match[1] ?? '');
          const input = parse(updateSchema, params);
          if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status))
            throw invalid(
              `This PaymentIntent's status is ${intent.status} and it cannot be updated.`,
              undefined,
              'payment_intent_unexpected_state',
            );
          if (input.amount !== undefined) checkAmount(input.amount);
          if (input.payment_method) checkPaymentMethod(input.payment_method);
          const updated: PaymentIntent = {
            ...intent,
            ...(input.amount !== undefined ? { amount: input.amount } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.receipt_email !== undefined ? { receipt_email: input.receipt_email } : {}),
            ...(input.capture_method ? { capture_method: input.capture_method } : {}),
            ...(input.payment_method
              ? { payment_method: input.payment_method, status: 'requires_confirmation' as const }
              : {}),
            metadata: { ...intent.metadata, ...(input.metadata ?? {}) },
          };
          save({ t: 'pi', v: updated });
          return updated;
        },
      },
      {
        method: 'POST',
        pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
        operation: 'payment_intents.confirm',
        run: (params, match) => {
          const intent = intentOf(match[1] ?? '');
          const input = parse(confirmSchema, params);
          if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status))
            throw new StripeApiError(400, {
              type: 'invalid_request_error',
              code: 'payment_intent_unexpected_state',
              message: `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`,
              payment_intent: intent,
            });
          if (input.payment_method) checkPaymentMethod(input.payment_method);
          return confirm({
            ...intent,
            ...(input.payment_method ? { payment_method: input.payment_method } : {}),
            ...(input.capture_method ? { capture_method: input.capture_method } : {}),
          });
        },
      },
      {
        method: 'POST',
        pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/,
        operation: 'payment_intents.capture',
        run: (params, match) => {
          const intent = intentOf(match[1] ?? '');
          const input = parse(captureSchema, params);
          if (intent.status !== 'requires_capture')
            throw new StripeApiError(400, {
              type: 'invalid_request_error',
              code: 'payment_intent_unexpected_state',
              message: `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
              payment_intent: intent,
            });
          const amount = input.amount_to_capture ?? intent.amount_capturable;
          if (amount > intent.amount_capturable)
            throw invalid(
              `The amount to capture (${amount}) must be less than or equal to the amount capturable (${intent.amount_capturable}).`,
              'amount_to_capture',
              'amount_too_large',
            );
          const charge = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
          if (charge) save({ t: 'ch', v: { ...charge, amount_captured: amount } });
          const captured: PaymentIntent = {
            ...intent,
            status: 'succeeded',
            amount_capturable: 0,
            amount_received: amount,
            metadata: { ...intent.metadata, ...(input.metadata ?? {}) },
          };
          save({ t: 'pi', v: captured });
          return captured;
        },
      },
      {
        method: 'POST',
        pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
        operation: 'payment_intents.cancel',
        run: (params, match) => {
          const intent = intentOf(match[1] ?? '');
          const input = parse(cancelSchema, params);
          if (!CANCELABLE.includes(intent.status))
            throw new StripeApiError(400, {
              type: 'invalid_request_error',
              code: 'payment_intent_unexpected_state',
              message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
              payment_intent: intent,
            });
          const canceled: PaymentIntent = {
            ...intent,
            status: 'canceled',
            amount_capturable: 0,
            canceled_at: now(),
            cancellation_reason: input.cancellation_reason ?? null,
          };
          save({ t: 'pi', v: canceled });
          return canceled;
        },
      },
    ],
  };
}
