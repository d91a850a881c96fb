import { describe, expect, it } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import type { BankWait, BankWaits } from '../../functions/shared/bank-waits';
import { runWait } from '../runner';
import { fakeOrders } from '../test-fakes';
import { fakePayments } from './fake-payments';
import { waitForBank, type WaitForBankDeps } from './wait-for-bank';

const NOW = new Date('2030-01-02T03:04:05Z');

/** The BankWaits table in memory: waits by intent. */
const fakeWaits = () => {
  const kept = new Map<string, { wait: BankWait; expiresAt: Date }>();
  const waits: BankWaits = {
    async keep(wait, expiresAt) {
      kept.set(wait.paymentIntentId, { wait, expiresAt });
    },
    async find(id) {
      return kept.get(id)?.wait ?? null;
    },
    async forget(wait) {
      if (kept.get(wait.paymentIntentId)?.wait.taskToken === wait.taskToken)
        kept.delete(wait.paymentIntentId);
    },
    async claimEvent() {
      return true;
    },
    async releaseEvent() {},
  };
  return { waits, kept };
};

const order = anOrder({ status: 'VALIDATED' });
const depsWith = (
  ...intents: Parameters<typeof fakePayments>
): WaitForBankDeps & {
  kept: ReturnType<typeof fakeWaits>['kept'];
} => {
  const { waits, kept } = fakeWaits();
  return { payments: fakePayments(...intents).deps.payments, waits, now: () => NOW, kept };
};

describe('Wait: waitForBank', () => {
  it('keeps the token by the order’s PaymentIntent and records the intent on the order', async () => {
    // Prepare
    const deps = depsWith({
      id: 'pi_3ds',
      status: 'requires_action',
      metadata: { orderId: order.id },
    });
    // Act
    const patch = await waitForBank.keep(order, 'token-1', 'pi_3ds', deps);
    // Assess
    expect(patch).toEqual({ paymentIntentId: 'pi_3ds' });
    expect(deps.kept.get('pi_3ds')).toEqual({
      wait: { paymentIntentId: 'pi_3ds', orderId: order.id, taskToken: 'token-1' },
      expiresAt: new Date(NOW.getTime() + 24 * 60 * 60 * 1000),
    });
  });

  it('never keeps a token for another order’s intent, nor for something that is not an intent id', async () => {
    const deps = depsWith({
      id: 'pi_other',
      status: 'requires_action',
      metadata: { orderId: 'someone-else' },
    });
    await expect(waitForBank.keep(order, 't', 'pi_other', deps)).rejects.toMatchObject({
      code: 'PAYMENT_FAILED',
    });
    await expect(waitForBank.keep(order, 't', 'pi_x; drop', deps)).rejects.toMatchObject({
      code: 'PAYMENT_FAILED',
    });
    expect(deps.kept.size).toBe(0);
  });
});

describe('Function: runWait', () => {
  const intent = { id: 'pi_3ds', status: 'requires_action', metadata: { orderId: order.id } };
  const waitWith = (deps: WaitForBankDeps) => ({ ...waitForBank, dependencies: () => deps });
  const asked = {
    Error: 'BankConfirmationRequired',
    Cause: JSON.stringify({ errorMessage: 'pi_3ds' }),
  };

  it('keeps the token first, then moves the order to ACTION_REQUIRED (live for the shopper)', async () => {
    // Prepare
    const orders = fakeOrders(order);
    const deps = depsWith(intent);
    // Act
    await runWait(waitWith(deps), orders.deps)({ orderId: order.id, taskToken: 'tok', asked });
    // Assess
    expect(deps.kept.has('pi_3ds')).toBe(true);
    expect(orders.stored.get(order.id)).toMatchObject({
      status: 'ACTION_REQUIRED',
      paymentIntentId: 'pi_3ds',
    });
    expect(orders.writes).toHaveLength(1);
  });

  it('waiting again (a second ask) keeps the new token without moving the order twice', async () => {
    const waiting = anOrder({ status: 'ACTION_REQUIRED', paymentIntentId: 'pi_3ds' });
    const orders = fakeOrders(waiting);
    const deps = depsWith(intent);
    await runWait(waitWith(deps), orders.deps)({ orderId: order.id, taskToken: 'tok-2', asked });
    expect(deps.kept.get('pi_3ds')?.wait.taskToken).toBe('tok-2');
    expect(orders.writes).toHaveLength(0);
  });

  it('refuses an order that has already failed, and input without a token', async () => {
    const orders = fakeOrders(anOrder({ status: 'FAILED' }));
    const deps = depsWith(intent);
    await expect(
      runWait(waitWith(deps), orders.deps)({ orderId: order.id, taskToken: 'tok', asked }),
    ).rejects.toMatchObject({ name: 'IllegalTransitionError' });
    await expect(runWait(waitWith(deps), orders.deps)({ orderId: order.id })).rejects.toMatchObject(
      {
        code: 'INVALID_ORDER',
      },
    );
    expect(deps.kept.size).toBe(0);
  });
});
