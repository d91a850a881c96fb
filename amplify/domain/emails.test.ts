import { describe, expect, it } from 'vitest';
import { confirmationEmail, failedEmail, shippedEmail } from './emails';
import { SHOPPER_MESSAGES } from './errors';
import { anOrder } from './test-fixtures';

const order = anOrder();
const link = `https://shop.test/orders/${order.id}`;

describe('Function: order emails', () => {
  it.each([
    [
      'confirmation',
      confirmationEmail(order, 'https://shop.test/'),
      /is confirmed/,
      ['$54.70', '2 x Mug'],
    ],
    [
      'shipped',
      shippedEmail(
        { ...order, carrier: 'Saga Parcel', trackingNumber: 'SP12345678903' },
        'https://shop.test',
      ),
      /has shipped/,
      ['Saga Parcel', 'SP12345678903'],
    ],
    [
      'failed',
      failedEmail(order, 'https://shop.test', SHOPPER_MESSAGES.OUT_OF_STOCK),
      /could not complete/,
      ['just sold out'],
    ],
  ])(
    'writes the %s email to the shopper with the link to the order page',
    (_kind, email, subject, contents) => {
      expect(email.to).toBe('ada@example.com');
      expect(email.subject).toMatch(subject);
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link}"`);
      for (const content of contents) {
        expect(email.text).toContain(content);
        expect(email.html).toContain(content);
      }
    },
  );

  it('escapes shopper-provided text in HTML', () => {
    const email = confirmationEmail(
      anOrder({ shippingAddress: { ...order.shippingAddress, name: '<script>alert(1)</script>' } }),
      'https://shop.test',
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.text).toContain('<script>');
  });
});
