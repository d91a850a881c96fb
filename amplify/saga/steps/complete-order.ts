import {
  productStock,
  publisherTo,
  statusEvent,
  type ProductStock,
  type Publish,
} from '../dependencies';
import { productIdsOf } from '../../domain/stock-news';
import { defineStep } from '../step';

export interface CompleteDeps {
  stock: ProductStock;
  publish: Publish;
}

/** Prunes the order's reservation markers (the stock stays sold), marks it COMPLETED and publishes OrderCompleted. */
export const completeOrder = defineStep({
  state: 'CompleteOrder',
  moves: 'COMPLETED',
  needs: { productTable: 'stock', orderEvents: true },
  timeoutSeconds: 15,
  dependencies: (): CompleteDeps => ({
    stock: productStock(),
    publish: publisherTo('ORDER_EVENTS_TOPIC_ARN'),
  }),
  async action(order, { stock }) {
    for (const line of order.lines) await stock.prune(order.id, line.productId);
  },
  // The order is already COMPLETED: a lost operator event must not send a finished order into
  // compensation, so this one is best effort.
  async afterMove(completed, { publish }) {
    await publish(
      statusEvent('OrderCompleted', completed.id, 'COMPLETED', 'completed', {
        totalCents: completed.totalCents,
        currency: completed.currency,
        // The stock these products show is now final: the storefront's cached grids are told.
        productIds: productIdsOf(completed.lines),
      }),
    ).catch((error: unknown) =>
      console.error(`Could not publish OrderCompleted for ${completed.id}`, error),
    );
  },
});
