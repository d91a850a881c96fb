import { afterEach, describe, expect, it, vi } from 'vitest';
import { failureFromStepFunctionsError } from '../../domain/errors';
import { anOrder } from '../../domain/test-fixtures';
import { failOrder } from './fail-order';
import { fakeTelling } from './fake-telling';

const outOfStock = failureFromStepFunctionsError({
  Error: 'OutOfStockError',
  Cause: JSON.stringify({ errorMessage: 'not enough stock of p-mug for 2' }),
});

afterEach(() => vi.restoreAllMocks());

describe('Step: failOrder', () => {
  it('tells operators the detail and the shopper only the plain reason', async () => {
    // Prepare
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const telling = fakeTelling();
    const order = anOrder({ status: 'PAYMENT_AUTHORIZED', paymentIntentId: 'pi_9' });
    // Act
    await failOrder.tell(outOfStock, order.id, order, telling.deps);
    // Assess
    expect(telling.published).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          type: 'OrderFailed',
          failureCode: 'OUT_OF_STOCK',
          detail: expect.stringContaining('not enough stock'),
          previousStatus: 'PAYMENT_AUTHORIZED',
          paymentIntentId: 'pi_9',
          productIds: ['p-mug', 'p-tee'],
        }),
        attributes: { eventType: 'OrderFailed', orderId: order.id, failureCode: 'OUT_OF_STOCK' },
      }),
    ]);
    expect(telling.mailed).toHaveLength(1);
    expect(telling.mailed[0]?.text).toContain(outOfStock.shopperMessage);
    expect(telling.mailed[0]?.text).not.toContain('OutOfStockError');
  });

  it('tells operators about an order that is gone, and mails nobody', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const telling = fakeTelling();
    await failOrder.tell(outOfStock, 'gone', null, telling.deps);
    expect(telling.published[0]?.body).toMatchObject({
      orderId: 'gone',
      previousStatus: null,
      productIds: [],
    });
    expect(telling.mailed).toEqual([]);
  });
});
