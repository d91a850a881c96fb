import { describe, expect, it } from 'vitest';
import { formatMoney, priceLines, shippingFor, taxFor } from './pricing';

describe('Function: taxFor', () => {
  it.each([
    [0, 0],
    [1, 0], // 0.0825 -> 0
    [6, 0], // 0.495 -> 0
    [7, 1], // 0.5775 -> 1
    [200, 17], // 16.5 -> 17 (half rounds up)
    [1000, 83], // 82.5 -> 83
    [1999, 165], // 164.9175 -> 165
    [4000, 330], // exact
    [123456, 10185], // 10185.12 -> 10185
  ])('taxes a subtotal of %i cents as %i cents (8.25%%, half up)', (subtotal, tax) => {
    expect(taxFor(subtotal)).toBe(tax);
  });

  it.each([-1, 1.5, Number.NaN])('refuses a subtotal of %s cents', (subtotal) => {
    expect(() => taxFor(subtotal)).toThrow(RangeError);
  });
});

describe('Function: shippingFor', () => {
  it.each([
    [0, 599],
    [4999, 599],
    [5000, 0],
    [5001, 0],
    [100000, 0],
  ])('charges %i cents of subtotal %i cents shipping', (subtotal, shipping) => {
    expect(shippingFor(subtotal)).toBe(shipping);
  });
});

describe('Function: priceLines', () => {
  it('adds lines, tax and shipping under the free-shipping threshold', () => {
    // Prepare
    const lines = [
      { unitPriceCents: 1250, quantity: 2 },
      { unitPriceCents: 1999, quantity: 1 },
    ];
    // Act
    const totals = priceLines(lines);
    // Assess
    expect(totals).toEqual({
      subtotalCents: 4499,
      taxCents: 371,
      shippingCents: 599,
      totalCents: 5469,
    });
  });

  it('ships free from a 5000-cent subtotal', () => {
    expect(priceLines([{ unitPriceCents: 2500, quantity: 2 }])).toEqual({
      subtotalCents: 5000,
      taxCents: 413,
      shippingCents: 0,
      totalCents: 5413,
    });
  });

  it.each([
    [{ unitPriceCents: 10.5, quantity: 1 }, /unit price/],
    [{ unitPriceCents: -1, quantity: 1 }, /unit price/],
    [{ unitPriceCents: 100, quantity: 0 }, /quantity/],
    [{ unitPriceCents: 100, quantity: 1.5 }, /quantity/],
  ])('refuses the line %j', (line, message) => {
    expect(() => priceLines([line])).toThrow(message);
  });

  it('keeps the largest order (50 lines x 99 at $99,999.99) exact in integers', () => {
    const lines = Array.from({ length: 50 }, () => ({ unitPriceCents: 9_999_999, quantity: 99 }));
    const totals = priceLines(lines);
    expect(totals.subtotalCents).toBe(49_499_995_050);
    expect(totals.totalCents).toBe(totals.subtotalCents + totals.taxCents);
    expect(Number.isSafeInteger(totals.taxCents)).toBe(true);
  });
});

describe('Function: formatMoney', () => {
  it.each([
    [0, 'usd', '$0.00'],
    [599, 'usd', '$5.99'],
    [123456, 'USD', '$1,234.56'],
    [1000, 'eur', '€10.00'],
  ])('formats %i %s as %s', (cents, currency, text) => {
    expect(formatMoney(cents, currency)).toBe(text);
  });
});
