import {
  cardDigits,
  cardLengths,
  cvcLength,
  formatCardNumber,
  formatExpiry,
  passesLuhn,
} from './payment-card';

/** The offline card form's fields, as typed. */
export interface CardFields {
  number: string;
  expiry: string;
  cvc: string;
  postalCode: string;
}

export type CardField = keyof CardFields;
export type CardErrors = Partial<Record<CardField, string>>;

export const EMPTY_CARD: CardFields = { number: '', expiry: '', cvc: '', postalCode: '' };

/** The labels Stripe's Payment Element shows, so the offline form reads as the real one does. */
export const CARD_FIELD_LABELS: Readonly<Record<CardField, string>> = {
  number: 'Card number',
  expiry: 'Expiration date',
  cvc: 'Security code',
  postalCode: 'Postal code',
};

/** What Stripe's API takes to create a card PaymentMethod. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  postalCode: string;
}

export type CardValidation = { ok: true; card: CardDetails } | { ok: false; errors: CardErrors };

/** Keeps a field as the Payment Element shows it while typing (grouped number, `MM / YY`, digits). */
export const tidyCardField = (field: CardField, typed: string): string => {
  if (field === 'number') return formatCardNumber(typed);
  if (field === 'expiry') return formatExpiry(typed);
  if (field === 'cvc') return typed.replace(/\D/g, '').slice(0, 4);
  return typed.slice(0, 10);
};

/**
 * Checks the card as stripe.js does before it sends anything, with the Payment Element's wording;
 * the engine then applies Stripe's API rules (test numbers, declines) to what passes.
 */
export const validateCard = (fields: CardFields, today = new Date()): CardValidation => {
  const errors: CardErrors = {};
  const number = cardDigits(fields.number);
  const lengths = cardLengths(number);
  if (!/^\d*$/.test(number)) errors.number = 'Your card number is invalid.';
  else if (number.length < Math.min(...lengths)) errors.number = 'Your card number is incomplete.';
  else if (!lengths.includes(number.length) || !passesLuhn(number))
    errors.number = 'Your card number is invalid.';

  const expiry = /^(\d{2})\s*\/\s*(\d{2})$/.exec(fields.expiry.trim());
  const expMonth = Number(expiry?.[1]);
  const expYear = 2000 + Number(expiry?.[2]);
  const thisYear = today.getFullYear();
  if (!expiry) errors.expiry = "Your card's expiration date is incomplete.";
  else if (expMonth < 1 || expMonth > 12) errors.expiry = "Your card's expiration date is invalid.";
  else if (expYear < thisYear) errors.expiry = "Your card's expiration year is in the past.";
  else if (expYear === thisYear && expMonth < today.getMonth() + 1)
    errors.expiry = "Your card's expiration date is in the past.";
  else if (expYear > thisYear + 50) errors.expiry = "Your card's expiration year is invalid.";

  const cvc = fields.cvc.trim();
  if (!/^\d*$/.test(cvc)) errors.cvc = "Your card's security code is invalid.";
  else if (cvc.length < cvcLength(number)) errors.cvc = "Your card's security code is incomplete.";
  else if (cvc.length > cvcLength(number)) errors.cvc = "Your card's security code is invalid.";

  const postalCode = fields.postalCode.trim();
  if (!postalCode) errors.postalCode = 'Your postal code is incomplete.';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, card: { number, expMonth, expYear, cvc, postalCode } };
};

/** Which field a Stripe API error's `param` is about (`number`, `exp_month`, `card[cvc]`...). */
export const fieldOfStripeParam = (param: string | undefined): CardField | undefined => {
  if (!param) return undefined;
  if (/number/.test(param)) return 'number';
  if (/exp_(month|year)/.test(param)) return 'expiry';
  if (/cvc/.test(param)) return 'cvc';
  if (/postal_code/.test(param)) return 'postalCode';
  return undefined;
};
