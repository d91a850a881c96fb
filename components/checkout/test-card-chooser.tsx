'use client';

import { TEST_CARDS } from '@/lib/checkout-form';

/** Offline payment: pick one of Stripe's test payment methods. */
export function TestCardChooser({
  value,
  onChange,
}: {
  value: string;
  onChange: (paymentMethodId: string) => void;
}) {
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium">Test card</legend>
      <p className="mb-3 text-xs text-neutral-600">
        No real payment is taken: the store runs against a local Stripe. Pick how the payment should
        go.
      </p>
      <div className="space-y-2">
        {TEST_CARDS.map((card) => (
          <label
            key={card.id}
            className="flex cursor-pointer items-start gap-3 rounded-xl border border-neutral-300 p-3 has-[:checked]:border-ink has-[:checked]:bg-neutral-50"
          >
            <input
              type="radio"
              name="test-card"
              value={card.id}
              checked={value === card.id}
              onChange={() => onChange(card.id)}
              className="mt-1 accent-brand-700"
            />
            <span>
              <span className="block text-sm font-semibold">{card.label}</span>
              <span className="block text-xs text-neutral-600">
                {card.hint} <code>{card.id}</code>
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
