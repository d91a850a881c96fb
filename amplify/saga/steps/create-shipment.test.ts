import { describe, expect, it } from 'vitest';
import { isTrackingNumber } from '../../domain/carrier';
import { anOrder } from '../../domain/test-fixtures';
import { createShipment } from './create-shipment';
import { fakeTelling } from './fake-telling';

describe('Step: createShipment', () => {
  it('books the parcel, sets carrier and tracking number, tells operators and emails the shopper the number', async () => {
    // Prepare
    const telling = fakeTelling();
    // Act
    const patch = await createShipment.action(anOrder({ status: 'CONFIRMED' }), telling.deps);
    // Assess
    expect(patch).toEqual({ carrier: 'Saga Parcel', trackingNumber: expect.any(String) });
    const trackingNumber = (patch as { trackingNumber: string }).trackingNumber;
    expect(isTrackingNumber(trackingNumber)).toBe(true);
    expect(telling.published[0]?.body).toMatchObject({ type: 'OrderShipped', trackingNumber });
    expect(telling.mailed[0]?.text).toContain(trackingNumber);
  });

  it('books the same tracking number when retried', async () => {
    const first = await createShipment.action(anOrder(), fakeTelling().deps);
    const again = await createShipment.action(anOrder(), fakeTelling().deps);
    expect(again).toEqual(first);
  });
});
