import { describe, expect, it } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import { capturePayment } from './capture-payment';
import { fakePayments } from './fake-payments';

const reserved = anOrder({ status: 'INVENTORY_RESERVED', paymentIntentId: 'pi_9' });

describe('Step: capturePayment', () => {
  it('captures the held payment, keyed by the order', async () => {
    // Prepare
    const stripe = fakePayments({ id: 'pi_9', status: 'requires_capture' });
    // Act
    await capturePayment.action(reserved, stripe.deps);
    // Assess
    expect(stripe.intents.get('pi_9')?.status).toBe('succeeded');
    expect(stripe.calls.at(-1)).toMatchObject({ call: 'capture', key: `${reserved.id}:capture` });
  });

  it('captures nothing twice: an already captured payment is fine', async () => {
    const stripe = fakePayments({ id: 'pi_9', status: 'succeeded' });
    await capturePayment.action(reserved, stripe.deps);
    expect(stripe.calls.map((c) => c.call)).toEqual(['retrieve']);
  });

  it('refuses an order with no authorized payment, calling Stripe for nothing', async () => {
    const stripe = fakePayments();
    await expect(
      capturePayment.action({ ...reserved, paymentIntentId: null }, stripe.deps),
    ).rejects.toMatchObject({ name: 'PaymentFailedError' });
    expect(stripe.calls).toEqual([]);
  });

  it('refuses a payment that can no longer be captured', async () => {
    const stripe = fakePayments({ id: 'pi_9', status: 'canceled' });
    await expect(capturePayment.action(reserved, stripe.deps)).rejects.toMatchObject({
      code: expect.stringMatching(/PAYMENT/),
    });
  });

  it('treats Stripe being unreachable as transient', async () => {
    const stripe = fakePayments({ id: 'pi_9', status: 'requires_capture' });
    stripe.failWith({ type: 'StripeAPIError', statusCode: 500, message: 'oops' });
    await expect(capturePayment.action(reserved, stripe.deps)).rejects.toMatchObject({
      name: 'TransientError',
    });
  });
});
