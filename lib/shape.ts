import { z } from 'zod';
import { ORDER_STATUSES } from '@/amplify/domain/order';
import type { Order, Product } from './types';

const productRecord = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  priceCents: z.number().int(),
  currency: z.string().nullish(),
  image: z.string().nullish(),
  stock: z.number().int().nullish(),
  active: z.boolean().nullish(),
  category: z.string().nullish(),
});

const statusSchema = z.enum(ORDER_STATUSES);

const orderRecord = z.object({
  id: z.string(),
  owner: z.string().nullish(),
  email: z.string().nullish(),
  shippingAddress: z
    .object({
      name: z.string(),
      line1: z.string(),
      line2: z.string().nullish(),
      city: z.string(),
      region: z.string().nullish(),
      postalCode: z.string(),
      country: z.string(),
    })
    .nullish(),
  lines: z
    .array(
      z.object({
        productId: z.string(),
        sku: z.string().nullish(),
        name: z.string(),
        unitPriceCents: z.number().int(),
        quantity: z.number().int(),
      }),
    )
    .nullish(),
  subtotalCents: z.number().int().nullish(),
  taxCents: z.number().int().nullish(),
  shippingCents: z.number().int().nullish(),
  totalCents: z.number().int().nullish(),
  currency: z.string().nullish(),
  status: statusSchema,
  statusHistory: z
    .array(z.object({ status: statusSchema, at: z.string(), note: z.string().nullish() }))
    .nullish(),
  failureCode: z.string().nullish(),
  failureReason: z.string().nullish(),
  carrier: z.string().nullish(),
  trackingNumber: z.string().nullish(),
  receiptKey: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});

/** Reshapes an API Product record into the app's Product; null when it is not one. */
export const toProduct = (record: unknown): Product | null => {
  const parsed = productRecord.safeParse(record);
  if (!parsed.success) return null;
  const p = parsed.data;
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description ?? '',
    priceCents: p.priceCents,
    currency: p.currency ?? 'USD',
    image: p.image ?? '',
    stock: Math.max(0, p.stock ?? 0),
    active: p.active ?? false,
    category: p.category ?? 'Other',
  };
};

/** Reshapes an API Order record (a get, a list item, or a subscription event) into the app's Order. */
export const toOrder = (record: unknown): Order | null => {
  const parsed = orderRecord.safeParse(record);
  if (!parsed.success) return null;
  const o = parsed.data;
  const history = [...(o.statusHistory ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  return {
    id: o.id,
    owner: o.owner ?? '',
    email: o.email ?? '',
    shippingAddress: o.shippingAddress ?? {
      name: '',
      line1: '',
      city: '',
      postalCode: '',
      country: '',
    },
    lines: (o.lines ?? []).map((line) => ({ ...line, sku: line.sku ?? '' })),
    subtotalCents: o.subtotalCents ?? 0,
    taxCents: o.taxCents ?? 0,
    shippingCents: o.shippingCents ?? 0,
    totalCents: o.totalCents ?? 0,
    currency: o.currency ?? 'USD',
    status: o.status,
    statusHistory: history,
    failureCode: o.failureCode ?? null,
    failureReason: o.failureReason ?? null,
    carrier: o.carrier ?? null,
    trackingNumber: o.trackingNumber ?? null,
    receiptKey: o.receiptKey ?? null,
    createdAt: o.createdAt ?? null,
    updatedAt: o.updatedAt ?? null,
  };
};

/**
 * Of two views of the same order (the initial get and a subscription event, in either arrival
 * order), the later one: the one further along its history, then the later updatedAt.
 */
export const newerOrder = (current: Order | null, incoming: Order): Order => {
  if (!current || current.id !== incoming.id) return incoming;
  if (incoming.statusHistory.length !== current.statusHistory.length) {
    return incoming.statusHistory.length > current.statusHistory.length ? incoming : current;
  }
  return (incoming.updatedAt ?? '') >= (current.updatedAt ?? '') ? incoming : current;
};
