import { formatMoney } from '@/lib/money';

/** An amount of money from integer cents. */
export function Price({
  cents,
  currency = 'USD',
  className,
}: {
  cents: number;
  currency?: string;
  className?: string;
}) {
  return <span className={className}>{formatMoney(cents, currency)}</span>;
}
