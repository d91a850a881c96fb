import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAPPY_PATH } from '../domain/status';
import { COMPENSATIONS, FAILURE_STEP, FORWARD_STEPS, SAGA_LAMBDAS } from './registry';
import { functionNameOf, handlerFolderOf } from './step';

const handlerFile = (folder: string) =>
  new URL(`../functions/${folder}/handler.ts`, import.meta.url);

describe('Saga step registry', () => {
  it('lists the saga in the order a shopper sees it, each step moving to the next status', () => {
    expect(FORWARD_STEPS.map((step) => step.state)).toEqual([
      'ValidateOrder',
      'AuthorizePayment',
      'ReserveInventory',
      'CapturePayment',
      'GenerateReceipt',
      'NotifyCustomer',
      'CreateShipment',
      'CompleteOrder',
    ]);
    expect(FORWARD_STEPS.map((step) => step.moves)).toEqual(HAPPY_PATH.slice(1));
  });

  it('compensates in reverse forward order, then fails the order', () => {
    const undoing = FORWARD_STEPS.filter((step) => step.compensation).reverse();
    expect(COMPENSATIONS).toEqual(undoing.map((step) => step.compensation));
    expect([...COMPENSATIONS, FAILURE_STEP].map((c) => c.state)).toEqual([
      'ReleaseInventory',
      'VoidPayment',
      'FailOrder',
    ]);
  });

  it('gives every saga Lambda its own state and function name', () => {
    const states = SAGA_LAMBDAS.map((lambda) => lambda.state);
    expect(new Set(states).size).toBe(states.length);
    expect(functionNameOf({ state: 'ReserveInventory' })).toBe('reserveInventory');
    expect(handlerFolderOf({ state: 'ReserveInventory' })).toBe('reserve-inventory');
  });

  it.each(SAGA_LAMBDAS.map((lambda) => [lambda.state, lambda] as const))(
    '%s has a handler that runs exactly that step',
    async (_state, lambda) => {
      const file = handlerFile(handlerFolderOf(lambda));
      expect(existsSync(file)).toBe(true);
      const { handler } = (await import(file.href)) as { handler: { lambda?: unknown } };
      expect(typeof handler).toBe('function');
      expect(handler.lambda).toBe(lambda);
    },
  );
});
