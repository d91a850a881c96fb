import { orderNumber } from './order-number';
import type { Order } from './order';
import { formatMoney } from './pricing';
import { orderPageUrl, SHOP_NAME } from './shop';

/** An email ready to send: plain text and HTML bodies with the same content. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );

interface Body {
  subject: string;
  greeting: string;
  paragraphs: string[];
  table?: [string, string][];
  linkLabel: string;
}

const render = (order: Order, storefrontUrl: string, body: Body): EmailMessage => {
  const link = orderPageUrl(storefrontUrl, order.id);
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...(body.table ? [...body.table.map(([k, v]) => `${k}: ${v}`), ''] : []),
    `${body.linkLabel}: ${link}`,
    '',
    `${SHOP_NAME}`,
  ].join('\n');
  const rows = (body.table ?? [])
    .map(
      ([k, v]) =>
        `<tr><td style="padding:2px 12px 2px 0">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;color:#111">',
    `<p>${escapeHtml(body.greeting)}</p>`,
    ...body.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    rows ? `<table>${rows}</table>` : '',
    `<p><a href="${escapeHtml(link)}">${escapeHtml(body.linkLabel)}</a></p>`,
    `<p>${escapeHtml(SHOP_NAME)}</p>`,
    '</body></html>',
  ].join('');
  return { to: order.email, subject: body.subject, text, html };
};

const summary = (order: Order): [string, string][] => {
  const money = (cents: number) => formatMoney(cents, order.currency);
  return [
    ...order.lines.map((line): [string, string] => [
      `${line.quantity} x ${line.name}`,
      money(line.unitPriceCents * line.quantity),
    ]),
    ['Subtotal', money(order.subtotalCents)],
    ['Tax', money(order.taxCents)],
    ['Shipping', order.shippingCents === 0 ? 'Free' : money(order.shippingCents)],
    ['Total', money(order.totalCents)],
  ];
};

/** "Your order is confirmed": the summary and a link to the order page. */
export const confirmationEmail = (order: Order, storefrontUrl: string): EmailMessage =>
  render(order, storefrontUrl, {
    subject: `Your ${SHOP_NAME} order ${orderNumber(order.id)} is confirmed`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: [
      `Thank you for your order. Your payment of ${formatMoney(order.totalCents, order.currency)} went through and your receipt is ready on the order page.`,
    ],
    table: summary(order),
    linkLabel: 'View your order and receipt',
  });

/** "Your order has shipped": carrier, tracking number and the order page. */
export const shippedEmail = (order: Order, storefrontUrl: string): EmailMessage =>
  render(order, storefrontUrl, {
    subject: `Your ${SHOP_NAME} order ${orderNumber(order.id)} has shipped`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: ['Good news: your order is on its way.'],
    table: [
      ['Carrier', order.carrier ?? ''],
      ['Tracking number', order.trackingNumber ?? ''],
    ],
    linkLabel: 'Follow your order',
  });

/** "We could not complete your order": the reason and what to do next. */
export const failedEmail = (order: Order, storefrontUrl: string, reason: string): EmailMessage =>
  render(order, storefrontUrl, {
    subject: `We could not complete your ${SHOP_NAME} order ${orderNumber(order.id)}`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: [reason],
    linkLabel: 'See your order',
  });

/** "We refunded your payment": a refund made after the order completed (e.g. from Stripe's dashboard). */
export const refundEmail = (
  order: Order,
  storefrontUrl: string,
  refundedCents: number,
  currency: string,
): EmailMessage =>
  render(order, storefrontUrl, {
    subject: `We refunded ${formatMoney(refundedCents, currency)} for your ${SHOP_NAME} order ${orderNumber(order.id)}`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: [
      `We have refunded ${formatMoney(refundedCents, currency)} of your payment for this order. Your bank usually shows it within 5 to 10 business days.`,
    ],
    linkLabel: 'See your order',
  });
