'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { StorefrontApiError } from '@/lib/api-errors';
import { shownAt } from '@/lib/dates';
import { orderNumber } from '@/amplify/domain/order-number';
import { STATUS_LABELS, statusTone } from '@/lib/order-status';
import { listMyOrders, type Shopper } from '@/lib/shopper-api';
import type { Order } from '@/lib/types';
import { RequireShopper } from '../auth/require-shopper';
import { primaryButton, secondaryButton } from '../ui/button-styles';
import { Price } from '../ui/price';

const PAGE_SIZE = 10;

/** Order history: the signed-in shopper's orders, newest first. */
export function OrderHistory() {
  return (
    <RequireShopper reason="Sign in to see your orders.">
      {(shopper) => <OrdersList shopper={shopper} />}
    </RequireShopper>
  );
}

function OrdersList({ shopper }: { shopper: Shopper }) {
  // tokens[i] is the nextToken that opens page i (page 0 opens with null).
  const [tokens, setTokens] = useState<(string | null)[]>([null]);
  const [pageIndex, setPageIndex] = useState(0);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listMyOrders(shopper.owner, tokens[pageIndex] ?? null, PAGE_SIZE)
      .then((page) => {
        if (!live) return;
        setOrders(page.items);
        setNextToken(page.nextToken);
        setError(null);
      })
      .catch((thrown: StorefrontApiError) => {
        if (live) setError(thrown.message);
      });
    return () => {
      live = false;
    };
  }, [shopper.owner, tokens, pageIndex]);

  if (error)
    return (
      <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-800">
        {error}
      </p>
    );
  if (!orders) return <p role="status">Loading your orders…</p>;
  if (orders.length === 0 && pageIndex === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-neutral-300 p-10 text-center">
        <p className="text-lg font-medium">You have no orders yet.</p>
        <Link href="/products" className={`${primaryButton} mt-6`}>
          Start shopping
        </Link>
      </div>
    );
  }
  return (
    <div>
      <ul
        className="divide-y divide-neutral-200 rounded-2xl border border-neutral-200"
        aria-label="Your orders"
      >
        {orders.map((order) => (
          <li key={order.id}>
            <Link
              href={`/orders/${encodeURIComponent(order.id)}`}
              className="flex flex-wrap items-center gap-4 p-4 hover:bg-neutral-50"
            >
              {/* On a phone the order takes the whole first line; its status and total go under it. */}
              <div className="min-w-0 flex-1 basis-full sm:basis-0">
                <p className="text-sm font-semibold">Order {orderNumber(order.id)}</p>
                <p className="truncate text-sm text-neutral-800">
                  {order.lines
                    .map((line) =>
                      line.quantity > 1 ? `${line.name} × ${line.quantity}` : line.name,
                    )
                    .join(', ')}
                </p>
                <p className="text-xs text-neutral-600">{shownAt(order.createdAt)}</p>
              </div>
              <span
                className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ${statusTone(order.status)}`}
              >
                {STATUS_LABELS[order.status]}
              </span>
              <Price
                cents={order.totalCents}
                currency={order.currency}
                className="ml-auto w-24 text-right font-semibold sm:ml-0"
              />
            </Link>
          </li>
        ))}
      </ul>
      {pageIndex === 0 && !nextToken ? null : (
        <nav
          aria-label="Order pages"
          className="mt-6 flex items-center justify-center gap-4 text-sm"
        >
          <button
            type="button"
            className={secondaryButton}
            disabled={pageIndex === 0}
            onClick={() => setPageIndex((i) => i - 1)}
          >
            Newer
          </button>
          <span>Page {pageIndex + 1}</span>
          <button
            type="button"
            className={secondaryButton}
            disabled={!nextToken}
            onClick={() => {
              setTokens((t) => [...t.slice(0, pageIndex + 1), nextToken]);
              setPageIndex((i) => i + 1);
            }}
          >
            Older
          </button>
        </nav>
      )}
    </div>
  );
}
