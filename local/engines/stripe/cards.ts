/**
 * Stripe's documented test cards: the numbers a shopper may type, the `pm_card_*` tokens that stand
 * for them, what confirming a payment with each does, and the API's checks on a card's details.
 */
import {
  cardBrand,
  cardDigits,
  cardLengths,
  cvcLength,
  passesLuhn,
  type CardBrand,
} from '../../../lib/payment-card';

/** How a payment with the card goes when it is confirmed. */
export type CardOutcome =
  | 'succeeds'
  | 'generic_decline'
  | 'insufficient_funds'
  | 'lost_card'
  | 'stolen_card'
  | 'fraudulent'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  // 3-D Secure: the bank asks the shopper to confirm; then the payment goes through, or is declined.
  | 'authenticate'
  | 'authenticate_then_decline';

/** The outcomes that ask the shopper's bank first (the intent goes to requires_action). */
export const ASKS_BANK: ReadonlySet<CardOutcome> = new Set([
  'authenticate',
  'authenticate_then_decline',
]);

/** The card error Stripe answers a confirmation with, for each declining outcome. */
export const DECLINES: Record<
  Exclude<CardOutcome, 'succeeds' | 'authenticate' | 'authenticate_then_decline'>,
  { code: string; decline_code: string; message: string; param?: string }
> = {
  generic_decline: {
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
  },
  insufficient_funds: {
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  lost_card: {
    code: 'card_declined',
    decline_code: 'lost_card',
    message: 'Your card was declined.',
  },
  stolen_card: {
    code: 'card_declined',
    decline_code: 'stolen_card',
    message: 'Your card was declined.',
  },
  fraudulent: {
    code: 'card_declined',
    decline_code: 'fraudulent',
    message: 'Your card was declined.',
  },
  expired_card: {
    code: 'expired_card',
    decline_code: 'expired_card',
    message: 'Your card has expired.',
    param: 'exp_month',
  },
  incorrect_cvc: {
    code: 'incorrect_cvc',
    decline_code: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
    param: 'cvc',
  },
  processing_error: {
    code: 'processing_error',
    decline_code: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
};

export interface TestCard {
  number: string;
  brand: CardBrand;
  funding: 'credit' | 'debit' | 'prepaid';
  outcome: CardOutcome;
}

const card = (
  number: string,
  outcome: CardOutcome = 'succeeds',
  funding: TestCard['funding'] = 'credit',
): TestCard => ({ number, brand: cardBrand(number), funding, outcome });

/** The numbers from Stripe's testing page that the local engine knows, by number. */
export const TEST_CARDS: ReadonlyMap<string, TestCard> = new Map(
  [
    card('4242424242424242'),
    card('4000056655665556', 'succeeds', 'debit'),
    card('5555555555554444'),
    card('2223003122003222'),
    card('5200828282828210', 'succeeds', 'debit'),
    card('5105105105105100', 'succeeds', 'prepaid'),
    card('378282246310005'),
    card('371449635398431'),
    card('6011111111111117'),
    card('6011000990139424'),
    card('6011981111111113', 'succeeds', 'debit'),
    card('3056930009020004'),
    card('36227206271667'),
    card('3566002020360505'),
    card('6200000000000005'),
    card('4000000000000002', 'generic_decline'),
    card('4000000000009995', 'insufficient_funds'),
    card('4000000000009987', 'lost_card'),
    card('4000000000009979', 'stolen_card'),
    card('4100000000000019', 'fraudulent'),
    card('4000000000000069', 'expired_card'),
    card('4000000000000127', 'incorrect_cvc'),
    card('4000000000000119', 'processing_error'),
    // Stripe's 3-D Secure test cards: 3184 always asks, 3220 asks (3DS2), 1629 asks then declines.
    card('4000002760003184', 'authenticate'),
    card('4000000000003220', 'authenticate'),
    card('4000008400001629', 'authenticate_then_decline'),
  ].map((c) => [c.number, c]),
);

const VISA = '4242424242424242';
/** Stripe's `pm_card_*` test PaymentMethods and the test number each stands for. */
export const TEST_TOKENS: Readonly<Record<string, string>> = {
  pm_card_visa: VISA,
  pm_card_us: VISA,
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_mastercard_debit: '5200828282828210',
  pm_card_mastercard_prepaid: '5105105105105100',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_diners: '3056930009020004',
  pm_card_jcb: '3566002020360505',
  pm_card_unionpay: '6200000000000005',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: '4000008400001629',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedFraudulent: '4100000000000019',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
};

/** A refusal of the card's details, worded and coded as Stripe's API words and codes it. */
export interface CardRefusal {
  status: 400 | 402;
  type: 'card_error' | 'invalid_request_error';
  code: string;
  message: string;
  param: string;
  decline_code?: string;
}

export interface CardInput {
  number?: string;
  exp_month?: string;
  exp_year?: string;
  cvc?: string;
}

const missing = (param: string): CardRefusal => ({
  status: 400,
  type: 'invalid_request_error',
  code: 'parameter_missing',
  message: `Missing required param: ${param}.`,
  param,
});
const cardError = (code: string, message: string, param: string): CardRefusal => ({
  status: 402,
  type: 'card_error',
  code,
  message,
  param,
});

/**
 * Checks a card as Stripe's API does when a PaymentMethod is created; `now` decides what is past.
 * Returns the test card it is, or the refusal.
 */
export function checkCard(
  input: CardInput,
  now = new Date(),
):
  | { ok: true; card: TestCard; expMonth: number; expYear: number }
  | { ok: false; refusal: CardRefusal } {
  const refuse = (refusal: CardRefusal) => ({ ok: false as const, refusal });
  if (input.number === undefined) return refuse(missing('card[number]'));
  if (input.exp_month === undefined) return refuse(missing('card[exp_month]'));
  if (input.exp_year === undefined) return refuse(missing('card[exp_year]'));

  const number = cardDigits(input.number);
  if (
    !/^\d+$/.test(number) ||
    number.length < Math.min(...cardLengths(number)) ||
    number.length > 19
  )
    return refuse(cardError('invalid_number', 'Your card number is invalid.', 'number'));
  if (!passesLuhn(number))
    return refuse(cardError('incorrect_number', 'Your card number is incorrect.', 'number'));

  const expMonth = Number(input.exp_month);
  if (!/^\d{1,2}$/.test(input.exp_month) || expMonth < 1 || expMonth > 12)
    return refuse(
      cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month'),
    );
  // Stripe takes a two- or four-digit year.
  const typedYear = Number(input.exp_year);
  const expYear = /^\d{2}$/.test(input.exp_year) ? 2000 + typedYear : typedYear;
  const thisYear = now.getUTCFullYear();
  if (!/^\d{2}(\d{2})?$/.test(input.exp_year) || expYear < thisYear || expYear > thisYear + 50)
    return refuse(
      cardError('invalid_expiry_year', "Your card's expiration year is invalid.", 'exp_year'),
    );
  if (expYear === thisYear && expMonth < now.getUTCMonth() + 1)
    return refuse(
      cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month'),
    );

  // Stripe takes a card without a CVC (its cvc_check is then unavailable), not a malformed one.
  if (input.cvc !== undefined && !new RegExp(`^\\d{${cvcLength(number)}}$`).test(input.cvc))
    return refuse(cardError('invalid_cvc', "Your card's security code is invalid.", 'cvc'));

  const card = TEST_CARDS.get(number);
  if (!card)
    return refuse({
      ...cardError(
        'card_declined',
        'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
        'number',
      ),
      decline_code: 'test_mode_live_card',
    });
  return { ok: true, card, expMonth, expYear };
}
