import type {
  OrderLine as DomainOrderLine,
  OrderStatus as DomainOrderStatus,
  ShippingAddress as DomainShippingAddress,
  StatusChange as DomainStatusChange,
} from '@/amplify/domain/order';

/** The storefront's own shapes: the API's records are reshaped into these at the lib/ seam. */

export type OrderStatus = DomainOrderStatus;
export type ShippingAddress = DomainShippingAddress;
export type OrderLine = DomainOrderLine;
export type StatusChange = DomainStatusChange;

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  image: string;
  stock: number;
  active: boolean;
  category: string;
}

export interface Order {
  id: string;
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
  failureCode: string | null;
  failureReason: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  receiptKey: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** A cart line as the browser keeps it: what to order plus a snapshot for display. */
export interface CartLine {
  productId: string;
  quantity: number;
  name: string;
  priceCents: number;
  currency: string;
  image: string;
  /** Stock when last seen; the server re-checks before an order is placed. */
  stock: number;
}

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}
