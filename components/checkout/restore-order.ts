'use client';

import { useEffect, useState } from 'react';
import { orderNumber } from '@/amplify/domain/order-number';
import { linesFromOrder } from '@/lib/cart';
import { EMPTY_FIELDS, type CheckoutFields } from '@/lib/checkout-form';
import { getOrder } from '@/lib/shopper-api';
import { checkAvailability } from '../cart/actions';
import { useCart } from '../cart/cart-context';

export type Restored =
  | { state: 'idle' }
  | { state: 'restoring' }
  | { state: 'done'; fields: CheckoutFields; message: string }
  | { state: 'failed'; message: string };

/**
 * "Try another card": puts a failed order's lines back in the cart (at today's price and stock)
 * and hands back its address for the checkout form. The shopper then places a new order: the
 * failed one stays FAILED with its payment voided and its stock released, so nothing is charged
 * or held twice, and the new order is checked again like any other.
 */
export function useRestoredOrder(orderId: string | undefined): Restored {
  const { restore } = useCart();
  const [restored, setRestored] = useState<Restored>(
    orderId ? { state: 'restoring' } : { state: 'idle' },
  );

  useEffect(() => {
    if (!orderId) return;
    let live = true;
    const run = async (): Promise<Restored> => {
      const order = await getOrder(orderId).catch(() => null);
      if (!order || order.status !== 'FAILED') {
        return { state: 'failed', message: 'We could not bring back that order’s items.' };
      }
      const availability = await checkAvailability(order.lines.map((line) => line.productId));
      if (!availability.ok) return { state: 'failed', message: availability.message };
      const { lines, problems } = linesFromOrder(
        order.lines,
        order.currency,
        availability.products,
      );
      if (live) restore(lines, problems);
      const address = order.shippingAddress;
      return {
        state: 'done',
        fields: {
          ...EMPTY_FIELDS,
          name: address.name,
          line1: address.line1,
          line2: address.line2 ?? '',
          city: address.city,
          region: address.region ?? '',
          postalCode: address.postalCode,
          country: address.country,
        },
        message: [
          `The items and address of order ${orderNumber(order.id)} are back. Enter another card and place the order again.`,
          ...problems.map((problem) => problem.message),
        ].join(' '),
      };
    };
    void run().then((result) => {
      if (live) setRestored(result);
    });
    return () => {
      live = false;
    };
  }, [orderId, restore]);

  return restored;
}
