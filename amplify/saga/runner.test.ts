import { describe, expect, it, vi } from 'vitest';
import { anOrder } from '../domain/test-fixtures';
import { runCompensation, runFailure, runStep } from './runner';
import { defineCompensation, defineFailure, defineStep } from './step';
import { fakeOrders } from './test-fakes';

/** A step that records what it was handed and sets a field with its move. */
const aStep = () => {
  const acted: string[] = [];
  const announced: string[] = [];
  const step = defineStep({
    state: 'AuthorizePayment',
    moves: 'PAYMENT_AUTHORIZED',
    needs: {},
    timeoutSeconds: 20,
    dependencies: vi.fn(() => ({ intentId: 'pi_1' })),
    async action(order, deps) {
      acted.push(order.status);
      return { paymentIntentId: deps.intentId };
    },
    async afterMove(moved) {
      announced.push(moved.status);
    },
  });
  return { step, acted, announced };
};

describe('Function: runStep', () => {
  it('reads the order once, acts, and writes the move with its patch and a history entry', async () => {
    // Prepare
    const orders = fakeOrders(anOrder({ status: 'VALIDATED' }));
    const { step, acted, announced } = aStep();
    // Act
    const result = await runStep(step, orders.deps)({ orderId: anOrder().id });
    // Assess
    expect(result).toEqual({ orderId: anOrder().id });
    expect(orders.reads).toHaveLength(1);
    expect(acted).toEqual(['VALIDATED']);
    expect(orders.stored.get(anOrder().id)).toMatchObject({
      status: 'PAYMENT_AUTHORIZED',
      paymentIntentId: 'pi_1',
      statusHistory: [
        { status: 'PENDING', at: '2030-01-02T03:04:05.000Z', note: null },
        { status: 'PAYMENT_AUTHORIZED', at: '2030-01-02T03:05:00.000Z', note: null },
      ],
    });
    expect(announced).toEqual(['PAYMENT_AUTHORIZED']);
  });

  it.each(['PAYMENT_AUTHORIZED', 'SHIPPED'] as const)(
    'skips an order already at or past its status (%s): no action, no write, no settings read',
    async (status) => {
      const orders = fakeOrders(anOrder({ status }));
      const { step, acted } = aStep();
      await runStep(step, orders.deps)({ orderId: anOrder().id });
      expect(acted).toEqual([]);
      expect(orders.writes).toEqual([]);
      expect(step.dependencies).not.toHaveBeenCalled();
    },
  );

  it.each(['PENDING', 'FAILED'] as const)(
    'refuses an order in %s, which cannot move there, without acting',
    async (status) => {
      const orders = fakeOrders(anOrder({ status }));
      const { step, acted } = aStep();
      await expect(runStep(step, orders.deps)({ orderId: anOrder().id })).rejects.toMatchObject({
        name: 'IllegalTransitionError',
      });
      expect(acted).toEqual([]);
      expect(orders.writes).toEqual([]);
    },
  );

  it('answers a missing order with OrderNotFoundError and bad input with a validation error', async () => {
    const { step } = aStep();
    const run = runStep(step, fakeOrders().deps);
    await expect(run({ orderId: 'gone' })).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    await expect(run({ order: 'x' })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
  });

  it('after a lost race to the same move, re-reads, writes nothing and announces nothing', async () => {
    const orders = fakeOrders(anOrder({ status: 'VALIDATED' }));
    const { step, announced } = aStep();
    orders.raceBeforeNextWrite((stored) =>
      stored.set(anOrder().id, anOrder({ status: 'PAYMENT_AUTHORIZED', paymentIntentId: 'pi_0' })),
    );
    await runStep(step, orders.deps)({ orderId: anOrder().id });
    expect(orders.reads).toHaveLength(2);
    expect(orders.writes).toEqual([]);
    expect(orders.stored.get(anOrder().id)?.paymentIntentId).toBe('pi_0');
    expect(announced).toEqual([]);
  });

  it('after a lost race to FAILED, re-reads and refuses the move', async () => {
    const orders = fakeOrders(anOrder({ status: 'VALIDATED' }));
    const { step } = aStep();
    orders.raceBeforeNextWrite((stored) => stored.set(anOrder().id, anOrder({ status: 'FAILED' })));
    await expect(runStep(step, orders.deps)({ orderId: anOrder().id })).rejects.toMatchObject({
      name: 'IllegalTransitionError',
    });
    expect(orders.stored.get(anOrder().id)?.status).toBe('FAILED');
  });

  it('gives up with a TransientError when the order keeps changing under it', async () => {
    const orders = fakeOrders(anOrder({ status: 'VALIDATED' }));
    orders.deps.orders.moveIfUnchanged = async () => null;
    const { step } = aStep();
    await expect(runStep(step, orders.deps)({ orderId: anOrder().id })).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect(orders.reads).toHaveLength(5);
  });

  it('does not move the order when the action fails', async () => {
    const orders = fakeOrders(anOrder({ status: 'VALIDATED' }));
    const { step } = aStep();
    const failing = { ...step, action: async () => Promise.reject(new Error('card service down')) };
    await expect(runStep(failing, orders.deps)({ orderId: anOrder().id })).rejects.toThrow(
      'card service down',
    );
    expect(orders.writes).toEqual([]);
  });

  it('names the step it runs', () => {
    const { step } = aStep();
    expect(runStep(step).lambda).toBe(step);
  });
});

describe('Function: runCompensation', () => {
  const undone: string[] = [];
  const compensation = defineCompensation({
    state: 'ReleaseInventory',
    needs: {},
    timeoutSeconds: 20,
    dependencies: () => undone,
    async undo(order, log) {
      log.push(order.id);
    },
  });

  it('undoes for an order under way and passes its input, error included, on', async () => {
    undone.length = 0;
    const orders = fakeOrders(anOrder({ status: 'INVENTORY_RESERVED' }));
    const input = { orderId: anOrder().id, error: { Error: 'PaymentDeclinedError', Cause: 'no' } };
    expect(await runCompensation(compensation, orders.deps)(input)).toEqual(input);
    expect(undone).toEqual([anOrder().id]);
    expect(orders.writes).toEqual([]);
  });

  it.each([
    ['a missing order', []],
    ['a COMPLETED order', [anOrder({ status: 'COMPLETED' })]],
  ])('does nothing for %s', async (_case, stored) => {
    undone.length = 0;
    const orders = fakeOrders(...stored);
    await runCompensation(compensation, orders.deps)({ orderId: anOrder().id });
    expect(undone).toEqual([]);
  });
});

describe('Function: runFailure', () => {
  const told: { code: string; order: string | null }[] = [];
  const failure = defineFailure({
    state: 'FailOrder',
    needs: {},
    timeoutSeconds: 15,
    dependencies: () => told,
    async tell(what, _orderId, order, log) {
      log.push({ code: what.code, order: order?.status ?? null });
    },
  });
  const declined = {
    Error: 'PaymentDeclinedError',
    Cause: JSON.stringify({ errorMessage: 'card_declined' }),
  };

  it('tells, then marks the order FAILED with the code and the shopper reason', async () => {
    told.length = 0;
    const orders = fakeOrders(anOrder({ status: 'PAYMENT_AUTHORIZED' }));
    const result = await runFailure(
      failure,
      orders.deps,
    )({ orderId: anOrder().id, error: declined });
    expect(result).toEqual({ orderId: anOrder().id, failureCode: 'PAYMENT_DECLINED' });
    expect(told).toEqual([{ code: 'PAYMENT_DECLINED', order: 'PAYMENT_AUTHORIZED' }]);
    const stored = orders.stored.get(anOrder().id);
    expect(stored?.status).toBe('FAILED');
    expect(stored?.failureCode).toBe('PAYMENT_DECLINED');
    expect(stored?.failureReason).toMatch(/declined/i);
    expect(stored?.failureReason).not.toContain('PaymentDeclinedError');
  });

  it.each(['COMPLETED', 'FAILED'] as const)(
    'leaves a %s order as it is and tells nobody',
    async (status) => {
      told.length = 0;
      const orders = fakeOrders(anOrder({ status, failureCode: 'OUT_OF_STOCK' }));
      const result = await runFailure(
        failure,
        orders.deps,
      )({ orderId: anOrder().id, error: declined });
      expect(result.failureCode).toBe('OUT_OF_STOCK');
      expect(told).toEqual([]);
      expect(orders.writes).toEqual([]);
    },
  );

  it('still tells operators about an order that is gone, and writes nothing', async () => {
    told.length = 0;
    const orders = fakeOrders();
    await runFailure(failure, orders.deps)({ orderId: 'gone', error: declined });
    expect(told).toEqual([{ code: 'PAYMENT_DECLINED', order: null }]);
    expect(orders.writes).toEqual([]);
  });
});
