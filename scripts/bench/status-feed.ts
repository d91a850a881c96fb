/**
 * A shopper's onUpdateOrder subscription through the real aws-amplify client, with the moment each
 * update arrived: tests/support/orders.ts `followOrders` keeps the updates but not their arrival
 * time, which is what the bench measures.
 */
import { Hub } from 'aws-amplify/utils';
import { asShopper, shopperClient } from '../../tests/support/amplify';
import type { OrderStatus, ShopperOrder } from '../../tests/support/orders';
import type { Shopper } from '../../tests/support/shoppers';

/** Wall-clock time in epoch ms with sub-millisecond resolution (the bench's one clock). */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** One status change as the subscriber received it. */
export interface StatusEvent {
  orderId: string;
  status: OrderStatus;
  /** When the backend recorded the change (its statusHistory `at`), epoch ms; null if absent. */
  changedAt: number | null;
  /** When the update reached this subscriber, epoch ms. */
  arrivedAt: number;
  failureCode: string | null;
  failureReason: string | null;
  /** The order's statusHistory as this update carried it (epoch ms). */
  history: { status: OrderStatus; at: number }[];
}

export class SubscriptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SubscriptionError';
  }
}

/** The `at` of the latest statusHistory entry for the order's current status. */
export function changedAtOf(order: Pick<ShopperOrder, 'status' | 'statusHistory'>): number | null {
  const entry = [...(order.statusHistory ?? [])].reverse().find((c) => c?.status === order.status);
  const at = entry ? Date.parse(entry.at) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/**
 * Subscribes to the shopper's order updates and resolves once AppSync acknowledged it, so nothing
 * placed afterwards can be missed. Open one at a time (the acknowledgement comes through Hub).
 */
export async function subscribeToStatusEvents(
  shopper: Shopper,
  onEvent: (event: StatusEvent) => void,
  onError: (error: SubscriptionError) => void,
  ackTimeoutMs = 15_000,
): Promise<{ close(): void }> {
  let acknowledged!: () => void;
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  const stopListening = Hub.listen('api', ({ payload }) => {
    if (payload.event === 'Subscription ack') acknowledged();
  });
  const subscription = asShopper(shopper, () =>
    shopperClient()
      .models.Order.onUpdate()
      .subscribe({
        next: (order) => {
          const arrivedAt = wallClockMs();
          if (!order.status) return;
          onEvent({
            orderId: order.id,
            status: order.status,
            changedAt: changedAtOf(order as ShopperOrder),
            arrivedAt,
            failureCode: order.failureCode ?? null,
            failureReason: order.failureReason ?? null,
            history: (order.statusHistory ?? []).flatMap((c) =>
              c ? [{ status: c.status, at: Date.parse(c.at) }] : [],
            ),
          });
        },
        error: (error: unknown) =>
          onError(
            new SubscriptionError(
              `onUpdateOrder of ${shopper.email} failed: ${JSON.stringify(error)}`,
              { cause: error },
            ),
          ),
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ack,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new SubscriptionError(`onUpdateOrder was not acknowledged for ${shopper.email}`),
            ),
          ackTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  } finally {
    clearTimeout(timer);
    stopListening();
  }
  return { close: () => subscription.unsubscribe() };
}
