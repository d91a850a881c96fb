'use client';

import { useEffect, useRef, useState } from 'react';
import {
  CARD_FIELD_LABELS,
  EMPTY_CARD,
  tidyCardField,
  validateCard,
  type CardErrors,
  type CardField,
  type CardFields,
} from '@/lib/card-form';
import { createPaymentMethod, type LocalStripe } from '@/lib/local-stripe';
import { cardBrand, cardDigits } from '@/lib/payment-card';
import { inputStyle } from '../ui/button-styles';
import { FieldError } from '@/components/ui/field-error';

/** What the checkout asks of the card form: show what is wrong, and turn the card into a PaymentMethod. */
export interface CardFormHandle {
  /** Shows the card's problems under its fields (focusing the first if asked); true when there are none. */
  check(options?: { focus?: boolean }): boolean;
  /** Creates the PaymentMethod; throws an Error with Stripe's message when the card is refused. */
  create(): Promise<string>;
}

const BRAND_NAMES: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'Amex',
  discover: 'Discover',
  diners: 'Diners',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

// Stripe's documented test numbers, so a shopper trying the shop offline knows what to type.
const TEST_NUMBERS = [
  ['4242 4242 4242 4242', 'pays'],
  ['4000 0000 0000 0002', 'is declined'],
  ['4000 0000 0000 9995', 'is declined for insufficient funds'],
  ['4000 0000 0000 0069', 'is declined as expired'],
  ['4000 0000 0000 0127', 'is declined for its security code'],
] as const;

const FIELD_IDS: Record<CardField, string> = {
  number: 'card-number',
  expiry: 'card-expiry',
  cvc: 'card-cvc',
  postalCode: 'card-postal-code',
};

/**
 * The offline stand-in for Stripe's Payment Element: card number, expiry, security code and postal
 * code, checked as stripe.js checks them, then sent straight from the browser to the local Stripe
 * with the publishable key. The shop's server never sees the card.
 */
export function LocalCardForm({
  stripe,
  onReady,
}: {
  stripe: LocalStripe;
  onReady: (handle: CardFormHandle | null) => void;
}) {
  const [fields, setFields] = useState<CardFields>(EMPTY_CARD);
  const [errors, setErrors] = useState<CardErrors>({});
  const [touched, setTouched] = useState<Partial<Record<CardField, boolean>>>({});
  const latest = useRef(fields);
  latest.current = fields;

  useEffect(() => {
    const focus = (field: CardField) => document.getElementById(FIELD_IDS[field])?.focus();
    const check = (options?: { focus?: boolean }) => {
      const result = validateCard(latest.current);
      setTouched({ number: true, expiry: true, cvc: true, postalCode: true });
      setErrors(result.ok ? {} : result.errors);
      const first = result.ok ? undefined : (Object.keys(result.errors)[0] as CardField);
      if (first && options?.focus) focus(first);
      return result.ok;
    };
    onReady({
      check,
      create: async () => {
        const result = validateCard(latest.current);
        if (!result.ok) {
          check({ focus: true });
          throw new Error('Please check your card details.');
        }
        const created = await createPaymentMethod(stripe, result.card);
        if (created.ok) return created.id;
        if (created.field) {
          const field = created.field;
          setTouched((t) => ({ ...t, [field]: true }));
          setErrors((e) => ({ ...e, [field]: created.message }));
          focus(field);
        }
        throw new Error(created.message);
      },
    });
    return () => onReady(null);
  }, [stripe, onReady]);

  const update = (field: CardField, typed: string) => {
    const next = { ...fields, [field]: tidyCardField(field, typed) };
    setFields(next);
    if (touched[field]) {
      const result = validateCard(next);
      setErrors((e) => ({ ...e, [field]: result.ok ? undefined : result.errors[field] }));
    }
  };

  const blur = (field: CardField) => {
    if (!fields[field]) return;
    setTouched((t) => ({ ...t, [field]: true }));
    const result = validateCard(fields);
    setErrors((e) => ({ ...e, [field]: result.ok ? undefined : result.errors[field] }));
  };

  const brand = BRAND_NAMES[cardBrand(cardDigits(fields.number))];

  const input = (
    field: CardField,
    props: { autoComplete: string; placeholder?: string; inputMode?: 'numeric' | 'text' },
  ) => {
    const error = touched[field] ? errors[field] : undefined;
    const id = FIELD_IDS[field];
    return (
      <div>
        <label htmlFor={id} className="mb-1 block text-sm font-medium">
          {CARD_FIELD_LABELS[field]}
        </label>
        <div className="relative">
          <input
            id={id}
            name={id}
            type="text"
            autoComplete={props.autoComplete}
            inputMode={props.inputMode ?? 'numeric'}
            placeholder={props.placeholder}
            value={fields[field]}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => update(field, e.target.value)}
            onBlur={() => blur(field)}
            className={`${inputStyle} ${field === 'number' ? 'pr-24' : ''}`}
          />
          {field === 'number' && brand ? (
            <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs font-semibold text-neutral-600">
              {brand}
            </span>
          ) : null}
        </div>
        <FieldError id={`${id}-error`} error={error} />
      </div>
    );
  };

  return (
    <fieldset className="space-y-4 rounded-2xl border border-neutral-200 p-4 sm:p-5">
      <legend className="px-1 text-sm font-semibold">Card</legend>
      {input('number', { autoComplete: 'cc-number', placeholder: '1234 1234 1234 1234' })}
      <div className="grid grid-cols-2 gap-4">
        {input('expiry', { autoComplete: 'cc-exp', placeholder: 'MM / YY' })}
        {input('cvc', { autoComplete: 'cc-csc', placeholder: 'CVC' })}
      </div>
      {input('postalCode', { autoComplete: 'postal-code', inputMode: 'text' })}
      <details className="rounded-lg bg-neutral-50 p-3 text-xs text-neutral-700">
        <summary className="cursor-pointer font-medium">
          Test mode: no real payment is taken. Which card numbers can I use?
        </summary>
        <p className="mt-2">
          Stripe&apos;s test cards, with any future expiry date and any security code:
        </p>
        <ul className="mt-1 space-y-0.5">
          {TEST_NUMBERS.map(([number, outcome]) => (
            <li key={number}>
              <span className="font-mono">{number}</span> {outcome}
            </li>
          ))}
        </ul>
      </details>
    </fieldset>
  );
}
