import { z } from 'zod';
import { placeOrderInputSchema } from '@/amplify/domain/order-input';
import type { ShippingAddress } from './types';

/** The checkout form's fields, as typed. */
export interface CheckoutFields {
  email: string;
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export type CheckoutField = keyof CheckoutFields;
export type FieldErrors = Partial<Record<CheckoutField, string>>;

export const EMPTY_FIELDS: CheckoutFields = {
  email: '',
  name: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: 'US',
};

export const FIELD_LABELS: Readonly<Record<CheckoutField, string>> = {
  email: 'Email',
  name: 'Full name',
  line1: 'Address',
  line2: 'Apartment, suite (optional)',
  city: 'City',
  region: 'State or region (optional)',
  postalCode: 'Postal code',
  country: 'Country',
};

// The very rules placeOrder applies on the server, so the form refuses what the server would.
const formSchema = z.object({
  email: placeOrderInputSchema.shape.email,
  shippingAddress: placeOrderInputSchema.shape.shippingAddress,
});

export type CheckoutValidation =
  | { ok: true; email: string; shippingAddress: ShippingAddress }
  | { ok: false; errors: FieldErrors };

/** Validates the form with the server's schema; errors are keyed by field, worded for people. */
export const validateCheckout = (fields: CheckoutFields): CheckoutValidation => {
  const parsed = formSchema.safeParse({
    email: fields.email,
    shippingAddress: {
      name: fields.name,
      line1: fields.line1,
      line2: fields.line2 || null,
      city: fields.city,
      region: fields.region || null,
      postalCode: fields.postalCode,
      country: fields.country,
    },
  });
  if (parsed.success) return { ok: true, ...parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = (issue.path[0] === 'email' ? 'email' : issue.path[1]) as CheckoutField | undefined;
    if (key && !errors[key])
      errors[key] = `${FIELD_LABELS[key].replace(' (optional)', '')} ${issue.message}`;
  }
  return { ok: false, errors };
};

/** A new idempotency key for one checkout attempt. */
export const newIdempotencyKey = (): string => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; a LAN address over http is not one.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
};
