import { orderNumber } from './order-number';
import type { Order } from './order';
import { formatMoney } from './pricing';
import type { ShopDetails } from './shop';

/** What a receipt says, independent of how it is drawn (the PDF renderer only lays this out). */
export interface ReceiptContent {
  title: string;
  shop: ShopDetails;
  /** The order number the shopper knows the order by. */
  orderNumber: string;
  issuedOn: string;
  billedTo: string[];
  lines: { description: string; quantity: number; unitPrice: string; amount: string }[];
  totals: { label: string; amount: string }[];
  footer: string;
}

/** Where an order's receipt lives in the receipts bucket. */
export const receiptKeyFor = (orderId: string): string => `receipts/${orderId}.pdf`;

/** The content of an order's receipt, issued at `issuedAt`. */
export const buildReceipt = (order: Order, shop: ShopDetails, issuedAt: Date): ReceiptContent => {
  const money = (cents: number) => formatMoney(cents, order.currency);
  const address = order.shippingAddress;
  return {
    title: 'Receipt',
    shop,
    orderNumber: orderNumber(order.id),
    issuedOn: issuedAt.toISOString().slice(0, 10),
    billedTo: [
      address.name,
      order.email,
      address.line1,
      ...(address.line2 ? [address.line2] : []),
      [address.city, address.region, address.postalCode].filter(Boolean).join(', '),
      address.country,
    ],
    lines: order.lines.map((line) => ({
      description: `${line.name} (${line.sku})`,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceCents),
      amount: money(line.unitPriceCents * line.quantity),
    })),
    totals: [
      { label: 'Subtotal', amount: money(order.subtotalCents) },
      { label: 'Tax (8.25%)', amount: money(order.taxCents) },
      {
        label: 'Shipping',
        amount: order.shippingCents === 0 ? 'Free' : money(order.shippingCents),
      },
      { label: 'Total paid', amount: money(order.totalCents) },
    ],
    footer: `Thank you for shopping at ${shop.name}. Questions? Write to ${shop.email}.`,
  };
};
