import { describe, expect, it } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import { authorizePayment, voidPayment } from './authorize-payment';
import { fakePayments } from './fake-payments';

const order = anOrder({ status: 'VALIDATED' });

describe('Step: authorizePayment', () => {
  it('authorizes the order total for manual capture, keyed by the order, and records the intent', async () => {
    // Prepare
    const stripe = fakePayments();
    // Act
    const patch = await authorizePayment.action(order, stripe.deps);
    // Assess
    expect(patch).toEqual({ paymentIntentId: 'pi_1' });
    expect(stripe.calls).toEqual([
      expect.objectContaining({ call: 'create', key: `${order.id}:authorize` }),
    ]);
    expect(stripe.calls[0]?.params).toMatchObject({
      amount: 5470,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      metadata: { orderId: order.id },
    });
  });

  it('refuses a card the bank declined as PAYMENT_DECLINED', async () => {
    const stripe = fakePayments();
    stripe.failWith({
      type: 'StripeCardError',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    });
    await expect(authorizePayment.action(order, stripe.deps)).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
    });
  });

  it('treats Stripe being unreachable as transient (retried by the workflow)', async () => {
    const stripe = fakePayments();
    stripe.failWith({ type: 'StripeConnectionError', message: 'socket hang up' });
    await expect(authorizePayment.action(order, stripe.deps)).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it('refuses an authorization that did not hold the money', async () => {
    const stripe = fakePayments();
    await expect(
      authorizePayment.action({ ...order, paymentMethodId: 'pm_card_chargeDeclined' }, stripe.deps),
    ).rejects.toMatchObject({ code: expect.stringMatching(/PAYMENT/) });
  });
});

describe('Step: authorizePayment with 3-D Secure', () => {
  it('asks for the bank when the card needs confirming, naming the intent', async () => {
    // Prepare
    const stripe = fakePayments();
    // Act
    const asked = authorizePayment.action(
      { ...order, paymentMethodId: 'pm_card_authenticationRequired' },
      stripe.deps,
    );
    // Assess
    await expect(asked).rejects.toMatchObject({
      name: 'BankConfirmationRequired',
      message: 'pi_1',
    });
  });

  it('after the bank answered, reads the recorded intent instead of making another', async () => {
    // Prepare
    const stripe = fakePayments({ id: 'pi_7', status: 'requires_capture' });
    const waiting = anOrder({ status: 'ACTION_REQUIRED', paymentIntentId: 'pi_7' });
    // Act
    const patch = await authorizePayment.action(waiting, stripe.deps);
    // Assess
    expect(patch).toEqual({ paymentIntentId: 'pi_7' });
    expect(stripe.calls).toEqual([{ call: 'retrieve', id: 'pi_7' }]);
  });

  it('after the shopper failed the bank’s check, refuses as PAYMENT_NOT_CONFIRMED', async () => {
    const stripe = fakePayments({
      id: 'pi_8',
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
    const waiting = anOrder({ status: 'ACTION_REQUIRED', paymentIntentId: 'pi_8' });
    await expect(authorizePayment.action(waiting, stripe.deps)).rejects.toMatchObject({
      code: 'PAYMENT_NOT_CONFIRMED',
    });
  });
});

describe('Compensation: voidPayment', () => {
  it('cancels an authorization still held, keyed by the order', async () => {
    const stripe = fakePayments({ id: 'pi_9', status: 'requires_capture' });
    await voidPayment.undo(anOrder({ paymentIntentId: 'pi_9' }), stripe.deps);
    expect(stripe.intents.get('pi_9')?.status).toBe('canceled');
    expect(stripe.calls.at(-1)).toMatchObject({ call: 'cancel', key: `${order.id}:void` });
  });

  it('refunds a captured payment', async () => {
    const stripe = fakePayments({ id: 'pi_9', status: 'succeeded' });
    await voidPayment.undo(anOrder({ paymentIntentId: 'pi_9' }), stripe.deps);
    expect(stripe.calls.at(-1)).toMatchObject({
      call: 'refund',
      id: 'pi_9',
      key: `${order.id}:refund`,
    });
  });

  it('does nothing for an order that never reached payment', async () => {
    const stripe = fakePayments({
      id: 'pi_other',
      status: 'requires_capture',
      metadata: { orderId: order.id },
    });
    await voidPayment.undo(anOrder(), stripe.deps);
    expect(stripe.calls).toEqual([]);
  });

  it('finds by search a hold the order never recorded, and cancels only its own', async () => {
    const stripe = fakePayments(
      { id: 'pi_mine', status: 'requires_capture', metadata: { orderId: order.id } },
      { id: 'pi_theirs', status: 'requires_capture', metadata: { orderId: 'someone-else' } },
    );
    const validated = anOrder({
      statusHistory: [
        { status: 'PENDING', at: '2030-01-02T03:04:05.000Z', note: null },
        { status: 'VALIDATED', at: '2030-01-02T03:04:06.000Z', note: null },
      ],
    });
    await voidPayment.undo(validated, stripe.deps);
    expect(stripe.intents.get('pi_mine')?.status).toBe('canceled');
    expect(stripe.intents.get('pi_theirs')?.status).toBe('requires_capture');
  });

  it('leaves a canceled payment alone, so a retried compensation changes nothing twice', async () => {
    const stripe = fakePayments({ id: 'pi_9', status: 'canceled' });
    await voidPayment.undo(anOrder({ paymentIntentId: 'pi_9' }), stripe.deps);
    expect(stripe.calls.map((c) => c.call)).toEqual(['retrieve']);
  });
});
