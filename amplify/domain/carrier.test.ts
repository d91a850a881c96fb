import { describe, expect, it } from 'vitest';
import { bookShipment, CARRIER_NAME, isTrackingNumber } from './carrier';

describe('Function: bookShipment', () => {
  it('books the same parcel for the same order (a retry books nothing new)', () => {
    expect(bookShipment('order-1')).toEqual(bookShipment('order-1'));
  });

  it('gives different orders different tracking numbers', () => {
    const numbers = new Set(
      Array.from({ length: 200 }, (_, i) => bookShipment(`order-${i}`).trackingNumber),
    );
    expect(numbers.size).toBe(200);
  });

  it('issues tracking numbers with a valid check digit from the carrier', () => {
    const shipment = bookShipment('order-1');
    expect(shipment.carrier).toBe(CARRIER_NAME);
    expect(shipment.trackingNumber).toMatch(/^SP\d{11}$/);
    expect(isTrackingNumber(shipment.trackingNumber)).toBe(true);
  });

  it('rejects a tracking number with a wrong check digit', () => {
    const { trackingNumber } = bookShipment('order-1');
    const last = Number(trackingNumber.slice(-1));
    expect(isTrackingNumber(`${trackingNumber.slice(0, -1)}${(last + 1) % 10}`)).toBe(false);
  });
});
