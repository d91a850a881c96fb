import { afterEach, describe, expect, it, vi } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import type { ProductStock } from '../dependencies';
import { completeOrder } from './complete-order';
import { fakeTelling } from './fake-telling';

const stockWithMarkers = () => {
  const pruned: string[] = [];
  const stock: ProductStock = {
    take: async () => 'taken',
    giveBack: async () => true,
    prune: async (_orderId, productId) => {
      pruned.push(productId);
    },
  };
  return { stock, pruned };
};

afterEach(() => vi.restoreAllMocks());

describe('Step: completeOrder', () => {
  it("prunes the order's reservation marker on every product (the stock stays sold)", async () => {
    // Prepare
    const { stock, pruned } = stockWithMarkers();
    // Act
    await completeOrder.action(anOrder({ status: 'SHIPPED' }), { stock, ...fakeTelling().deps });
    // Assess
    expect(pruned).toEqual(['p-mug', 'p-tee']);
  });

  it('publishes OrderCompleted, naming the products whose stock is now final', async () => {
    const telling = fakeTelling();
    await completeOrder.afterMove?.(anOrder({ status: 'COMPLETED' }), {
      ...stockWithMarkers(),
      ...telling.deps,
    });
    expect(telling.published).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          type: 'OrderCompleted',
          totalCents: 5470,
          productIds: ['p-mug', 'p-tee'],
        }),
      }),
    ]);
  });

  it('logs, and does not fail, when OrderCompleted cannot be published', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const telling = fakeTelling({ failPublishing: true });
    await expect(
      completeOrder.afterMove?.(anOrder({ status: 'COMPLETED' }), {
        ...stockWithMarkers(),
        ...telling.deps,
      }),
    ).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining('Could not publish OrderCompleted'),
      expect.any(Error),
    );
  });
});
