import type { EmailMessage } from '../domain/emails';
import type { OrderLine, OrderStatus } from '../domain/order';
import { readEnv, shopEnv } from '../functions/shared/env';
import {
  giveBackStock,
  pruneReservation,
  takeStock,
  type TakeResult,
} from '../functions/shared/inventory';
import { publishEvent, sendEmail, type OrderEvent } from '../functions/shared/notify';
import { stripe, type Payments } from '../functions/shared/stripe';

/*
 * The real dependencies the steps share, bound to the function's environment. Each is read when a
 * step acts, so a missing variable fails that step with its name.
 */

type Line = Pick<OrderLine, 'productId' | 'quantity'>;

/** An order's stock on the Product table: conditional writes with per-order markers. */
export interface ProductStock {
  take(orderId: string, line: Line): Promise<TakeResult>;
  giveBack(orderId: string, line: Line): Promise<boolean>;
  prune(orderId: string, productId: string): Promise<void>;
}

export const productStock = (): ProductStock => {
  const { PRODUCT_TABLE_NAME: table } = readEnv(['PRODUCT_TABLE_NAME']);
  return {
    take: (orderId, line) => takeStock(table, orderId, line),
    giveBack: (orderId, line) => giveBackStock(table, orderId, line),
    prune: (orderId, productId) => pruneReservation(table, orderId, productId),
  };
};

/** Publishes an order event to one operator topic. */
export type Publish = (event: Omit<OrderEvent, 'topicArn'>) => Promise<unknown>;

export const publisherTo = (
  topic: 'ORDER_EVENTS_TOPIC_ARN' | 'ORDER_ERRORS_TOPIC_ARN',
): Publish => {
  const topicArn = readEnv([topic])[topic];
  return (event) => publishEvent({ topicArn, ...event });
};

/** Email to the shopper from the shop's address, with the storefront URL its links point at. */
export interface ShopperMail {
  storefrontUrl: string;
  send(message: EmailMessage): Promise<unknown>;
}

export const shopperMail = (): ShopperMail => {
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = shopEnv();
  return {
    storefrontUrl: STOREFRONT_URL,
    send: (message) => sendEmail(SHOP_FROM_EMAIL, message),
  };
};

/** Stripe, for the payment steps. */
export interface PaymentDeps {
  payments: Payments;
}

export const stripePayments = (): PaymentDeps => ({ payments: stripe() });

/** What the telling steps use: one operator topic and the shopper's email. */
export interface TellingDeps {
  publish: Publish;
  mail: ShopperMail;
}

export const topicAndShopperMail =
  (topic: 'ORDER_EVENTS_TOPIC_ARN' | 'ORDER_ERRORS_TOPIC_ARN') => (): TellingDeps => ({
    publish: publisherTo(topic),
    mail: shopperMail(),
  });

/** The operator event for an order reaching `status`: `Order <id> <verb>`, a JSON body, filterable attributes. */
export const statusEvent = (
  type: string,
  orderId: string,
  status: OrderStatus,
  verb: string,
  details: Record<string, unknown>,
): Omit<OrderEvent, 'topicArn'> => ({
  subject: `Order ${orderId} ${verb}`,
  body: { type, orderId, status, ...details },
  attributes: { eventType: type, orderId, status },
});
