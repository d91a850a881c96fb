import { FREE_SHIPPING_THRESHOLD_CENTS, type OrderTotals } from '@/lib/pricing';
import { formatMoney } from '@/lib/money';

/** Subtotal, tax, shipping and total, as the server will charge them. */
export function CartSummary({
  totals,
  currency = 'USD',
  upsell = true,
}: {
  totals: OrderTotals;
  currency?: string;
  /** The free-shipping hint: for a cart the shopper can still change, not a placed order. */
  upsell?: boolean;
}) {
  const rows: [string, number][] = [
    ['Subtotal', totals.subtotalCents],
    ['Tax (8.25%)', totals.taxCents],
    ['Shipping', totals.shippingCents],
  ];
  return (
    <div className="space-y-2 text-sm">
      <dl className="space-y-2">
        {rows.map(([label, cents]) => (
          <div key={label} className="flex justify-between">
            <dt className="text-neutral-600">{label}</dt>
            <dd>{label === 'Shipping' && cents === 0 ? 'Free' : formatMoney(cents, currency)}</dd>
          </div>
        ))}
        <div className="flex justify-between border-t border-neutral-200 pt-3 text-base font-semibold">
          <dt>Total</dt>
          <dd>{formatMoney(totals.totalCents, currency)}</dd>
        </div>
      </dl>
      {upsell && totals.shippingCents > 0 ? (
        <p className="pt-1 text-xs text-neutral-600">
          Free shipping from {formatMoney(FREE_SHIPPING_THRESHOLD_CENTS, currency)}: add{' '}
          {formatMoney(FREE_SHIPPING_THRESHOLD_CENTS - totals.subtotalCents, currency)} more.
        </p>
      ) : null}
    </div>
  );
}
