import { createHash } from 'node:crypto';

export const CARRIER_NAME = 'Saga Parcel';

export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

/**
 * The simulated carrier: books a parcel for an order and returns its tracking number, always the
 * same for the same order (so a retried booking books nothing new): `SP` + 10 digits + a mod-10
 * check digit.
 */
export const bookShipment = (orderId: string): Shipment => {
  const digest = createHash('sha256').update(`shipment:${orderId}`).digest();
  const digits = Array.from(digest.subarray(0, 10), (byte) => byte % 10);
  const check = (10 - (digits.reduce((sum, d, i) => sum + d * (i % 2 === 0 ? 3 : 1), 0) % 10)) % 10;
  return { carrier: CARRIER_NAME, trackingNumber: `SP${digits.join('')}${check}` };
};

/** True for a tracking number the simulated carrier could have issued (its check digit holds). */
export const isTrackingNumber = (value: string): boolean => {
  const match = /^SP(\d{10})(\d)$/.exec(value);
  if (!match?.[1] || !match[2]) return false;
  const digits = [...match[1]].map(Number);
  const check = (10 - (digits.reduce((sum, d, i) => sum + d * (i % 2 === 0 ? 3 : 1), 0) % 10)) % 10;
  return check === Number(match[2]);
};
