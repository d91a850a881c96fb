/**
 * The order saga against the running local backend, as a shopper and an operator notice it: every
 * status over the shopper's subscription, the receipt behind its presigned URL, the emails, the
 * stock, the money on the card (local Stripe), the queue, the DLQ and the executions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { asShopper, configureAmplify, shopperClient } from '../support/amplify';
import { connectBackend, type Backend } from '../support/backend';
import { readStock, setStock } from '../support/catalog';
import { clearFunctionFaults, injectFunctionFault } from '../support/faults';
import { inbox, waitForMail } from '../support/mailbox';
import { HAPPY_PATH, listMyOrders, orderRequest, placeOrderOk } from '../support/orders';
import {
  chargesFor,
  clearStripeFaults,
  injectStripeFault,
  paymentIntentsFor,
} from '../support/payments';
import { orderNumber } from '../../amplify/domain/order-number';
import { createPaymentMethod } from '@/lib/local-stripe';
import { pdfText } from '../support/pdf';
import { orderToTheEnd, scenario } from '../support/scenario';
import {
  executionsFor,
  queueDepth,
  receiveFromQueue,
  sendToQueue,
  setVisibilityTimeout,
  topicMessagesAbout,
} from '../support/workflow';

let backend: Backend;

beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  configureAmplify(backend);
});

afterAll(() => backend?.close());

afterEach(async () => {
  await clearFunctionFaults(backend);
  await clearStripeFaults(backend);
});

/** Waits until OrdersQueue holds nothing, visible or in flight (the consumer is done with it). */
async function queueDrained(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const depth = await queueDepth(backend, backend.ordersQueueUrl);
    if (depth.visible === 0 && depth.inFlight === 0) return;
    if (Date.now() > deadline) throw new Error(`OrdersQueue still holds ${JSON.stringify(depth)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an order that goes through', () => {
  it('reaches COMPLETED, telling the shopper every status, with receipt, emails, stock and one capture', async () => {
    const s = await scenario(backend, 7, 1_999);
    const { placed, final } = await orderToTheEnd(s, 3);

    expect(placed.status).toBe('PENDING');
    // PENDING is what placeOrder answered; every later status arrived over the subscription, in order.
    expect(s.feed.statuses(placed.id)).toEqual(HAPPY_PATH.slice(1));
    expect(final.status).toBe('COMPLETED');
    expect(final.trackingNumber).toBeTruthy();
    expect(final.statusHistory.map((h) => h?.status)).toEqual(HAPPY_PATH);
    expect(final.totalCents).toBeGreaterThanOrEqual(3 * 1_999);

    const link = await asShopper(s.shopper, () =>
      shopperClient().queries.receiptUrl({ orderId: placed.id }),
    );
    expect(link.errors).toBeUndefined();
    const response = await fetch(link.data?.url ?? '');
    expect(response.status).toBe(200);
    const pdf = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdfText(pdf)).toContain(`Order number: ${orderNumber(placed.id)}`);

    const confirmed = await waitForMail(backend, s.shopper.email, /is confirmed/);
    const shipped = await waitForMail(backend, s.shopper.email, /has shipped/);
    expect(confirmed.text).toContain(s.product.name);
    expect(shipped.text).toContain(final.trackingNumber ?? '');

    const stock = await readStock(backend, s.product.id);
    expect(stock.stock).toBe(4);
    expect(stock.reservations).toEqual({});

    const charges = await chargesFor(backend, placed.id);
    expect(charges.intents).toHaveLength(1);
    expect(charges.intents[0]?.status).toBe('succeeded');
    expect(charges.netCharged).toBe(final.totalCents);
    expect(charges.held).toBe(0);
    s.feed.close();
  });
});

describe('an order paid with a card typed into the offline card form', () => {
  /** The card form's own path: the browser helper, the outputs' Stripe URL and publishable key. */
  const typedCard = async (number: string) => {
    const local = (
      inject('localBackend').outputs as {
        custom: { local: { stripe: string; stripePublishableKey: string } };
      }
    ).custom.local;
    const created = await createPaymentMethod(
      { url: local.stripe, publishableKey: local.stripePublishableKey },
      {
        number,
        expMonth: 12,
        expYear: new Date().getFullYear() + 2,
        cvc: '123',
        postalCode: 'N1 9GU',
      },
    );
    if (!created.ok) throw new Error(created.message);
    return created.id;
  };

  it.each([
    ['4242424242424242', 'COMPLETED', null],
    ['4000000000000002', 'FAILED', 'PAYMENT_DECLINED'],
  ])('with %s ends %s', async (number, status, code) => {
    const s = await scenario(backend, 4);
    const paymentMethodId = await typedCard(number);
    const { placed, final } = await orderToTheEnd(s, 1, { paymentMethodId });

    expect(final.status).toBe(status);
    expect(final.failureCode ?? null).toBe(code);
    const charges = await chargesFor(backend, placed.id);
    // An id the local Stripe did not know would end FAILED with another code: COMPLETED proves it paid.
    expect(charges.netCharged).toBe(status === 'COMPLETED' ? final.totalCents : 0);
    s.feed.close();
  });
});

describe('an order that cannot be paid or filled', () => {
  it.each([
    ['pm_card_chargeDeclined', 'PAYMENT_DECLINED'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'INSUFFICIENT_FUNDS'],
  ])(
    'with %s ends FAILED(%s), stock untouched, nothing charged or held, and the shopper told',
    async (paymentMethodId, code) => {
      const s = await scenario(backend, 5);
      const { placed, final } = await orderToTheEnd(s, 2, { paymentMethodId });

      expect(final.status).toBe('FAILED');
      expect(final.failureCode).toBe(code);
      expect(final.failureReason).toMatch(/not been charged/);
      expect(s.feed.statuses(placed.id)).not.toContain('PAYMENT_AUTHORIZED');
      expect(await readStock(backend, s.product.id)).toEqual({ stock: 5, reservations: {} });
      const charges = await chargesFor(backend, placed.id);
      expect(charges.netCharged).toBe(0);
      expect(charges.held).toBe(0);
      await waitForMail(backend, s.shopper.email, /could not complete/);
      s.feed.close();
    },
  );

  it('ends FAILED(OUT_OF_STOCK) when the stock is gone by reservation time, voiding the authorization', async () => {
    const s = await scenario(backend, 3);
    const placed = await placeOrderOk(
      s.shopper,
      orderRequest(s.shopper, [{ productId: s.product.id, quantity: 2 }]),
    );
    // Validation saw enough stock; the last units sell elsewhere before the reservation.
    await s.feed.waitFor(placed.id, ['VALIDATED']);
    await setStock(backend, s.product.id, 1);
    const final = await s.feed.waitForEnd(placed.id);

    expect(final.status).toBe('FAILED');
    expect(final.failureCode).toBe('OUT_OF_STOCK');
    expect(s.feed.statuses(placed.id)).toContain('PAYMENT_AUTHORIZED');
    expect(await readStock(backend, s.product.id)).toEqual({ stock: 1, reservations: {} });
    const charges = await chargesFor(backend, placed.id);
    expect(charges.intents.map((i) => i.status)).toEqual(['canceled']);
    expect(charges.netCharged).toBe(0);
    s.feed.close();
  });
});

describe('an order that meets a transient failure', () => {
  it.each([2, 3])(
    'still completes with one payment when Stripe fails the authorization %i times',
    async (count) => {
      const s = await scenario(backend, 4);
      await injectStripeFault(backend, {
        operation: 'payment_intents.create',
        count,
        kind: 'api_error',
      });
      const { placed, final } = await orderToTheEnd(s, 1);

      expect(final.status).toBe('COMPLETED');
      const charges = await chargesFor(backend, placed.id);
      expect(charges.intents).toHaveLength(1);
      expect(charges.netCharged).toBe(final.totalCents);
      expect((await readStock(backend, s.product.id)).stock).toBe(3);
      s.feed.close();
    },
  );
});

describe('duplicates', () => {
  it('placing the same order again, or several times at once, gives one order, one execution and one payment', async () => {
    const s = await scenario(backend, 10);
    const request = orderRequest(s.shopper, [{ productId: s.product.id, quantity: 2 }]);
    const first = await placeOrderOk(s.shopper, request);
    const again = await Promise.all([
      placeOrderOk(s.shopper, request),
      placeOrderOk(s.shopper, request),
      placeOrderOk(s.shopper, request),
    ]);
    expect(again.map((o) => o.id)).toEqual([first.id, first.id, first.id]);

    const final = await s.feed.waitForEnd(first.id);
    expect(final.status).toBe('COMPLETED');
    // Once COMPLETED, the same key still answers with the same order and starts nothing.
    const late = await placeOrderOk(s.shopper, request);
    expect(late.id).toBe(first.id);
    expect(late.status).toBe('COMPLETED');
    await queueDrained();

    expect((await listMyOrders(s.shopper)).map((o) => o.id)).toEqual([first.id]);
    expect(await executionsFor(backend, first.id)).toHaveLength(1);
    expect(await paymentIntentsFor(backend, first.id)).toHaveLength(1);
    expect((await readStock(backend, s.product.id)).stock).toBe(8);
    s.feed.close();
  });

  it('the same queue message delivered again, mid-flight or after the end, starts nothing new', async () => {
    const s = await scenario(backend, 6);
    const placed = await placeOrderOk(
      s.shopper,
      orderRequest(s.shopper, [{ productId: s.product.id, quantity: 1 }]),
    );
    await s.feed.waitFor(placed.id, ['PAYMENT_AUTHORIZED']);
    await sendToQueue(backend, backend.ordersQueueUrl, JSON.stringify({ orderId: placed.id }));
    const final = await s.feed.waitForEnd(placed.id);
    await sendToQueue(backend, backend.ordersQueueUrl, JSON.stringify({ orderId: placed.id }));
    await queueDrained();

    expect(final.status).toBe('COMPLETED');
    const executions = await executionsFor(backend, placed.id);
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    const charges = await chargesFor(backend, placed.id);
    expect(charges.intents).toHaveLength(1);
    expect(charges.netCharged).toBe(final.totalCents);
    expect((await readStock(backend, s.product.id)).stock).toBe(5);
    s.feed.close();
  });
});

describe('a poison message', () => {
  it('is received three times, then lands in the dead-letter queue', async () => {
    // The template's 180 s visibility timeout would make three receives take six minutes; an
    // operator may lower it through SetQueueAttributes, and so does this test, putting it back.
    const before = await queueDepth(backend, backend.deadLetterQueueUrl);
    const original = await setVisibilityTimeout(backend, backend.ordersQueueUrl, 1);
    try {
      const body = `not json ${crypto.randomUUID()}`;
      await sendToQueue(backend, backend.ordersQueueUrl, body);
      const deadline = Date.now() + 30_000;
      while ((await queueDepth(backend, backend.deadLetterQueueUrl)).visible <= before.visible) {
        if (Date.now() > deadline) throw new Error('The poison message never reached the DLQ');
        await new Promise((r) => setTimeout(r, 250));
      }
      await queueDrained();
      const dead = await receiveFromQueue(backend, backend.deadLetterQueueUrl, 1);
      const poison = dead.find((m) => m.body === body);
      expect(poison).toBeDefined();
      // Three receives by the consumer, plus the one just made here.
      expect(poison?.receiveCount).toBeGreaterThanOrEqual(3);
    } finally {
      await setVisibilityTimeout(backend, backend.ordersQueueUrl, original);
    }
  });
});

describe('rollback when a step fails after the payment was authorized', () => {
  it.each([
    ['ReserveInventory', 'reserveInventory'],
    ['CapturePayment', 'capturePayment'],
    ['GenerateReceipt', 'generateReceipt'],
    ['NotifyCustomer', 'notifyCustomer'],
    ['CreateShipment', 'createShipment'],
    ['CompleteOrder', 'completeOrder'],
  ])(
    '%s failing ends FAILED with a reason, stock and payment as they began',
    async (_state, functionName) => {
      const s = await scenario(backend, 5);
      await injectFunctionFault(backend, {
        functionName,
        count: 1,
        errorName: 'InjectedFault',
      });
      const { placed, final } = await orderToTheEnd(s, 2);

      expect(final.status).toBe('FAILED');
      expect(final.failureCode).toBe('INTERNAL');
      expect(final.failureReason).toMatch(/released/);
      expect(await readStock(backend, s.product.id)).toEqual({ stock: 5, reservations: {} });
      const charges = await chargesFor(backend, placed.id);
      expect(charges.intents).toHaveLength(1);
      expect(charges.netCharged).toBe(0);
      expect(charges.held).toBe(0);
      const messages = await topicMessagesAbout(backend, placed.id);
      expect(messages.some((m) => /OrderFailed/.test(m.message))).toBe(true);
      const mail = await inbox(backend, s.shopper.email);
      expect(mail.some((m) => /could not complete/.test(m.subject))).toBe(true);
      s.feed.close();
    },
  );
});
