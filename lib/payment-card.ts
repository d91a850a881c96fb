/**
 * Card number rules shared by the offline card form (what stripe.js checks as the shopper types)
 * and the local Stripe engine (what Stripe's API checks): brand by prefix, length, Luhn, CVC length.
 * Pure, so the browser bundle and the engine can both use it.
 */

/** Stripe's `card.brand` values for the brands the offline form recognises. */
export type CardBrand =
  'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'unknown';

interface BrandRule {
  brand: CardBrand;
  prefix: RegExp;
  lengths: readonly number[];
  cvcLength: number;
}

// Order matters: the first matching prefix wins (UnionPay's 62 after Discover's 622).
const BRAND_RULES: readonly BrandRule[] = [
  { brand: 'amex', prefix: /^3[47]/, lengths: [15], cvcLength: 4 },
  { brand: 'diners', prefix: /^(36|30[0-5]|309|38|39)/, lengths: [14, 16], cvcLength: 3 },
  { brand: 'jcb', prefix: /^35/, lengths: [16, 17, 18, 19], cvcLength: 3 },
  { brand: 'visa', prefix: /^4/, lengths: [13, 16, 19], cvcLength: 3 },
  { brand: 'mastercard', prefix: /^(5[1-5]|2[2-7])/, lengths: [16], cvcLength: 3 },
  { brand: 'discover', prefix: /^(6011|64[4-9]|65|622)/, lengths: [16, 19], cvcLength: 3 },
  { brand: 'unionpay', prefix: /^62/, lengths: [16, 17, 18, 19], cvcLength: 3 },
];
const UNKNOWN: BrandRule = { brand: 'unknown', prefix: /^/, lengths: [16], cvcLength: 3 };

const ruleFor = (digits: string): BrandRule =>
  BRAND_RULES.find((rule) => rule.prefix.test(digits)) ?? UNKNOWN;

/** What a person typed, without the spaces and dashes people put between groups. */
export const cardDigits = (typed: string): string => typed.replace(/[\s-]/g, '');

/** The brand a number's first digits announce. */
export const cardBrand = (digits: string): CardBrand => ruleFor(digits).brand;

/** The lengths a number of this brand may have. */
export const cardLengths = (digits: string): readonly number[] => ruleFor(digits).lengths;

/** Digits in the security code of this number's brand (4 for American Express, 3 otherwise). */
export const cvcLength = (digits: string): number => ruleFor(digits).cvcLength;

/** The Luhn checksum every card number carries in its last digit. */
export const passesLuhn = (digits: string): boolean => {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
};

/** The number grouped as printed on the card: 4-6-5 for American Express, 4-6-4 for 14-digit Diners, fours otherwise. */
export const formatCardNumber = (typed: string): string => {
  const digits = typed.replace(/\D/g, '').slice(0, 19);
  const brand = cardBrand(digits);
  const groups =
    brand === 'amex' || (brand === 'diners' && digits.length <= 14) ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
};

/** An expiry as typed, shown as `MM / YY` (a lone first digit above 1 is a month: 4 -> 04). */
export const formatExpiry = (typed: string): string => {
  let digits = typed.replace(/\D/g, '');
  if (/^[2-9]/.test(digits)) digits = `0${digits}`;
  digits = digits.slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)} / ${digits.slice(2)}` : digits;
};
