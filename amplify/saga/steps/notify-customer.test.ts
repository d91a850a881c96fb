import { describe, expect, it } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import { fakeTelling } from './fake-telling';
import { notifyCustomer } from './notify-customer';

describe('Step: notifyCustomer', () => {
  it('publishes OrderConfirmed for operators and emails the shopper a summary linking to the order', async () => {
    // Prepare
    const order = anOrder({
      status: 'RECEIPT_READY',
      paymentIntentId: 'pi_9',
      receiptKey: 'receipts/x.pdf',
    });
    const telling = fakeTelling();
    // Act
    const patch = await notifyCustomer.action(order, telling.deps);
    // Assess
    expect(patch).toBeUndefined();
    expect(telling.published).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          type: 'OrderConfirmed',
          orderId: order.id,
          totalCents: 5470,
          items: 3,
          paymentIntentId: 'pi_9',
          receiptKey: 'receipts/x.pdf',
        }),
        attributes: { eventType: 'OrderConfirmed', orderId: order.id, status: 'CONFIRMED' },
      }),
    ]);
    expect(telling.mailed).toHaveLength(1);
    expect(telling.mailed[0]?.to).toBe('ada@example.com');
    expect(telling.mailed[0]?.subject).toMatch(/is confirmed/);
    expect(telling.mailed[0]?.text).toContain(`https://shop.example/orders/${order.id}`);
  });

  it('fails, emailing nobody, when the event cannot be published (so the workflow retries)', async () => {
    const telling = fakeTelling({ failPublishing: true });
    await expect(notifyCustomer.action(anOrder(), telling.deps)).rejects.toThrow('SNS is down');
    expect(telling.mailed).toEqual([]);
  });
});
