import { describe, expect, it } from 'vitest';
import {
  cardBrand,
  cardDigits,
  cvcLength,
  formatCardNumber,
  formatExpiry,
  passesLuhn,
} from './payment-card';

describe('Card numbers: brand, Luhn, formatting', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['3056930009020004', 'diners'],
    ['36227206271667', 'diners'],
    ['3566002020360505', 'jcb'],
    ['6200000000000005', 'unionpay'],
    ['9999999999999995', 'unknown'],
  ])('%s is a %s', (number, brand) => {
    expect(cardBrand(number)).toBe(brand);
  });

  it.each(['4242424242424242', '4000000000000002', '378282246310005', '36227206271667'])(
    '%s passes the Luhn check',
    (number) => expect(passesLuhn(number)).toBe(true),
  );

  it.each(['4242424242424241', '4000000000000003', '', '4242 4242 4242 4242', 'abcd'])(
    '%j fails it',
    (number) => expect(passesLuhn(number)).toBe(false),
  );

  it('reads what people type between the groups', () => {
    expect(cardDigits('4242 4242-4242 4242')).toBe('4242424242424242');
  });

  it('groups the number as it is printed on the card', () => {
    expect(formatCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumber('36227206271667')).toBe('3622 720627 1667');
    expect(formatCardNumber('4242-42x42')).toBe('4242 4242');
    expect(formatCardNumber('4'.repeat(40))).toBe('4444 4444 4444 4444 444');
  });

  it('shows the expiry as MM / YY', () => {
    expect(formatExpiry('1234')).toBe('12 / 34');
    expect(formatExpiry('4')).toBe('04');
    expect(formatExpiry('12 / 345')).toBe('12 / 34');
    expect(formatExpiry('1')).toBe('1');
  });

  it('asks four CVC digits of an American Express, three of the others', () => {
    expect(cvcLength('378282246310005')).toBe(4);
    expect(cvcLength('4242424242424242')).toBe(3);
  });
});
