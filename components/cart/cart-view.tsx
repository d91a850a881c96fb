'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { maxQuantity } from '@/lib/cart';
import { cartTotals } from '@/lib/pricing';
import { ProductImage } from '../catalog/product-image';
import { primaryButton, secondaryButton } from '../ui/button-styles';
import { Price } from '../ui/price';
import { useHydrated } from '../ui/use-hydrated';
import { useCart } from './cart-context';
import { CartSummary } from './cart-summary';

/** The cart page: lines with quantity controls, what changed since they were added, totals. */
export function CartView() {
  const hydrated = useHydrated();
  const { lines, pending, problems, notice, setQuantity, remove, refresh } = useCart();

  // Which products the cart holds: a change here (another tab, a removed line) is worth a check;
  // a re-render, or the check's own answer, is not.
  const productIds = lines.map((line) => line.productId).join('\n');

  useEffect(() => {
    // Prices and stock may have changed since the items were added: check on arrival, when the
    // cart's products change, and when the shopper comes back to the tab.
    if (productIds) void refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible' && productIds) void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh, productIds]);

  if (!hydrated) return <p role="status">Loading your cart…</p>;
  if (lines.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-neutral-300 p-10 text-center">
        <p className="text-lg font-medium">Your cart is empty.</p>
        <Link href="/products" className={`${primaryButton} mt-6`}>
          Start shopping
        </Link>
      </div>
    );
  }

  const orderable = lines.filter((line) => line.stock > 0);
  const totals = cartTotals(orderable);
  const blocked = lines.some((line) => line.stock <= 0);

  return (
    <div className="grid gap-10 lg:grid-cols-[1fr_22rem]">
      <section aria-labelledby="cart-lines">
        <h2 id="cart-lines" className="sr-only">
          Items
        </h2>
        <div role="status" aria-live="polite" className="space-y-2">
          {notice ? (
            <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">{notice}</p>
          ) : null}
          {problems.map((problem) => (
            <p
              key={problem.productId}
              className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900"
            >
              {problem.message}
            </p>
          ))}
        </div>
        <ul className="divide-y divide-neutral-200">
          {lines.map((line) => {
            const cap = maxQuantity(line.stock);
            const unavailable = line.stock <= 0;
            return (
              <li key={line.productId} className="flex gap-4 py-5">
                <div className="relative h-24 w-24 shrink-0 overflow-hidden rounded-xl border border-neutral-200 bg-neutral-50">
                  <ProductImage src={line.image} alt="" sizes="96px" />
                </div>
                <div className="flex flex-1 flex-col gap-2">
                  <div className="flex justify-between gap-4">
                    <Link
                      href={`/products/${encodeURIComponent(line.productId)}`}
                      className="font-semibold hover:underline"
                    >
                      {line.name}
                    </Link>
                    <Price
                      cents={line.priceCents * line.quantity}
                      currency={line.currency}
                      className="font-semibold"
                    />
                  </div>
                  {unavailable ? (
                    <p className="text-sm font-medium text-red-700">
                      Not available: remove it to check out.
                    </p>
                  ) : (
                    <p className="text-xs text-neutral-600">
                      <Price cents={line.priceCents} currency={line.currency} /> each · {line.stock}{' '}
                      in stock
                    </p>
                  )}
                  <div className="flex items-center gap-2">
                    {!unavailable ? (
                      <div className="flex items-center rounded-full border border-neutral-300">
                        <button
                          type="button"
                          className="h-9 w-9 rounded-l-full text-lg hover:bg-neutral-100 disabled:opacity-40"
                          aria-label={`One fewer ${line.name}`}
                          disabled={line.quantity <= 1}
                          onClick={() => setQuantity(line.productId, line.quantity - 1)}
                        >
                          −
                        </button>
                        <span
                          className="w-10 text-center text-sm"
                          aria-label={`Quantity of ${line.name}`}
                        >
                          {line.quantity}
                        </span>
                        <button
                          type="button"
                          className="h-9 w-9 rounded-r-full text-lg hover:bg-neutral-100 disabled:opacity-40"
                          aria-label={`One more ${line.name}`}
                          disabled={line.quantity >= cap}
                          onClick={() => setQuantity(line.productId, line.quantity + 1)}
                        >
                          +
                        </button>
                      </div>
                    ) : null}
                    <button
                      type="button"
                      onClick={() => remove(line.productId)}
                      className="ml-2 text-sm font-medium text-neutral-600 underline hover:text-ink"
                    >
                      Remove<span className="sr-only"> {line.name}</span>
                    </button>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
      <aside
        aria-labelledby="summary-heading"
        className="h-fit rounded-2xl border border-neutral-200 p-6 lg:sticky lg:top-24"
      >
        <h2 id="summary-heading" className="mb-4 text-lg font-semibold">
          Order summary
        </h2>
        <CartSummary totals={totals} />
        {blocked ? (
          <p className="mt-4 text-sm text-red-700">Remove the unavailable items to check out.</p>
        ) : null}
        {blocked || orderable.length === 0 ? (
          <span className={`${primaryButton} mt-6 w-full opacity-60`} aria-disabled="true">
            Check out
          </span>
        ) : (
          <Link href="/checkout" className={`${primaryButton} mt-6 w-full`} aria-busy={pending}>
            Check out
          </Link>
        )}
        <Link href="/products" className={`${secondaryButton} mt-3 w-full`}>
          Keep shopping
        </Link>
      </aside>
    </div>
  );
}
