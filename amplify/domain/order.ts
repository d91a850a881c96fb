/** The order as the saga reads and writes it: the fields of the Order model, all of them. */

export const ORDER_STATUSES = [
  'PENDING',
  'VALIDATED',
  // A detour, not a step: the shopper's bank wants the shopper to confirm the payment (3-D Secure).
  'ACTION_REQUIRED',
  'PAYMENT_AUTHORIZED',
  'INVENTORY_RESERVED',
  'PAYMENT_CAPTURED',
  'RECEIPT_READY',
  'CONFIRMED',
  'SHIPPED',
  'COMPLETED',
  'FAILED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
}

export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface StatusChange {
  status: OrderStatus;
  at: string;
  note?: string | null;
}

export interface Order {
  /** Read-only, as the schema's model id is. */
  readonly id: string;
  owner: string;
  email: string;
  shippingAddress: ShippingAddress;
  lines: OrderLine[];
  subtotalCents: number;
  taxCents: number;
  shippingCents: number;
  totalCents: number;
  currency: string;
  status: OrderStatus;
  statusHistory: StatusChange[];
  failureCode?: string | null;
  failureReason?: string | null;
  paymentMethodId: string;
  paymentIntentId?: string | null;
  receiptKey?: string | null;
  carrier?: string | null;
  trackingNumber?: string | null;
  idempotencyKey: string;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** A catalog entry as the saga needs it. */
export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  active: boolean;
}
