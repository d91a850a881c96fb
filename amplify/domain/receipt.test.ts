import { describe, expect, it } from 'vitest';
import { buildReceipt, receiptKeyFor } from './receipt';
import { shopDetails } from './shop';
import { anOrder } from './test-fixtures';

const shop = shopDetails('orders@shop.test', 'https://shop.test');

describe('Function: buildReceipt', () => {
  it('lists the shop, order id, date, lines and totals', () => {
    // Act
    const receipt = buildReceipt(anOrder(), shop, new Date('2030-01-02T10:00:00Z'));
    // Assess
    expect(receipt.shop.name).toBe('Saga Supply');
    expect(receipt.orderNumber).toBe(anOrder().id.slice(0, 8).toUpperCase());
    expect(receipt.issuedOn).toBe('2030-01-02');
    expect(receipt.lines).toEqual([
      { description: 'Mug (MUG-1)', quantity: 2, unitPrice: '$12.50', amount: '$25.00' },
      { description: 'T-shirt (TEE-1)', quantity: 1, unitPrice: '$20.00', amount: '$20.00' },
    ]);
    expect(receipt.totals).toEqual([
      { label: 'Subtotal', amount: '$45.00' },
      { label: 'Tax (8.25%)', amount: '$3.71' },
      { label: 'Shipping', amount: '$5.99' },
      { label: 'Total paid', amount: '$54.70' },
    ]);
    expect(receipt.billedTo).toEqual([
      'Ada Lovelace',
      'ada@example.com',
      '1 Analytical Way',
      'London, N1 9GU',
      'GB',
    ]);
  });

  it('says Free when shipping cost nothing', () => {
    const receipt = buildReceipt(anOrder({ shippingCents: 0 }), shop, new Date());
    expect(receipt.totals[2]).toEqual({ label: 'Shipping', amount: 'Free' });
  });
});

describe('Function: receiptKeyFor', () => {
  it('stores receipts under receipts/<orderId>.pdf', () => {
    expect(receiptKeyFor('o-1')).toBe('receipts/o-1.pdf');
  });
});
