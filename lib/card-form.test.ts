import { describe, expect, it } from 'vitest';
import { fieldOfStripeParam, tidyCardField, validateCard, type CardFields } from './card-form';

// Mid-2026: what counts as past is fixed, so the test never depends on today's date.
const TODAY = new Date(2026, 5, 15);
const card = (over: Partial<CardFields> = {}): CardFields => ({
  number: '4242 4242 4242 4242',
  expiry: '12 / 34',
  cvc: '123',
  postalCode: 'N1 9GU',
  ...over,
});

describe('Offline card form: what stripe.js would refuse before sending', () => {
  it('takes a test card and hands over what Stripe needs', () => {
    expect(validateCard(card(), TODAY)).toEqual({
      ok: true,
      card: {
        number: '4242424242424242',
        expMonth: 12,
        expYear: 2034,
        cvc: '123',
        postalCode: 'N1 9GU',
      },
    });
  });

  it.each([
    [
      'an empty form',
      { number: '', expiry: '', cvc: '', postalCode: '' },
      {
        number: 'Your card number is incomplete.',
        expiry: "Your card's expiration date is incomplete.",
        cvc: "Your card's security code is incomplete.",
        postalCode: 'Your postal code is incomplete.',
      },
    ],
    ['a short number', { number: '4242 4242 4242' }, { number: 'Your card number is incomplete.' }],
    [
      'a number failing Luhn',
      { number: '4242 4242 4242 4241' },
      { number: 'Your card number is invalid.' },
    ],
    [
      'letters in the number',
      { number: '4242 abcd 4242 4242' },
      { number: 'Your card number is invalid.' },
    ],
    [
      'a half-typed expiry',
      { expiry: '12 / 3' },
      { expiry: "Your card's expiration date is incomplete." },
    ],
    ['month 13', { expiry: '13 / 30' }, { expiry: "Your card's expiration date is invalid." }],
    ['last year', { expiry: '12 / 25' }, { expiry: "Your card's expiration year is in the past." }],
    [
      'last month',
      { expiry: '05 / 26' },
      { expiry: "Your card's expiration date is in the past." },
    ],
    [
      'a year too far',
      { expiry: '01 / 99' },
      { expiry: "Your card's expiration year is invalid." },
    ],
    ['a two-digit CVC', { cvc: '12' }, { cvc: "Your card's security code is incomplete." }],
    [
      'a four-digit CVC on a Visa',
      { cvc: '1234' },
      { cvc: "Your card's security code is invalid." },
    ],
    [
      'a three-digit CVC on an Amex',
      { number: '3782 822463 10005', cvc: '123' },
      {
        cvc: "Your card's security code is incomplete.",
      },
    ],
  ])("refuses %s with the Payment Element's words", (_what, over, errors) => {
    expect(validateCard(card(over), TODAY)).toEqual({ ok: false, errors });
  });

  it('this month is still good', () => {
    expect(validateCard(card({ expiry: '06 / 26' }), TODAY).ok).toBe(true);
  });

  it('keeps fields as the Payment Element shows them while typing', () => {
    expect(tidyCardField('number', '4242424242424242')).toBe('4242 4242 4242 4242');
    expect(tidyCardField('expiry', '1234')).toBe('12 / 34');
    expect(tidyCardField('cvc', '12a34')).toBe('1234');
    expect(tidyCardField('postalCode', 'N1 9GU')).toBe('N1 9GU');
  });

  it('puts a Stripe error under the field it is about', () => {
    expect(fieldOfStripeParam('number')).toBe('number');
    expect(fieldOfStripeParam('card[number]')).toBe('number');
    expect(fieldOfStripeParam('exp_year')).toBe('expiry');
    expect(fieldOfStripeParam('cvc')).toBe('cvc');
    expect(fieldOfStripeParam('billing_details[address][postal_code]')).toBe('postalCode');
    expect(fieldOfStripeParam(undefined)).toBeUndefined();
  });
});
