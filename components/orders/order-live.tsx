'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { StorefrontApiError } from '@/lib/api-errors';
import {
  HAPPY_PATH,
  STATUS_LABELS,
  failureExplanation,
  failureNextStep,
  isFinished,
  statusTone,
} from '@/lib/order-status';
import { newerOrder } from '@/lib/shape';
import { getOrder, watchOrder } from '@/lib/shopper-api';
import type { Order, OrderStatus } from '@/lib/types';
import { RequireShopper } from '../auth/require-shopper';
import { CartSummary } from '../cart/cart-summary';
import { BankConfirmation } from './bank-confirmation';
import { shownAt } from '@/lib/dates';
import { primaryButton } from '../ui/button-styles';
import { Price } from '../ui/price';
import { ReceiptButton } from './receipt-button';

const time = (iso: string) => shownAt(iso, { seconds: true });

/** The happy path, with the detours this order took (waiting for the bank) where it took them. */
const withDetours = (taken: readonly OrderStatus[]): OrderStatus[] =>
  HAPPY_PATH.flatMap((status) =>
    status === 'VALIDATED' && taken.includes('ACTION_REQUIRED')
      ? [status, 'ACTION_REQUIRED' as const]
      : [status],
  );

/** The order page: signed-in shoppers only. */
export function OrderLive({ orderId }: { orderId: string }) {
  return (
    <RequireShopper reason="Sign in to see your order.">
      {() => <OrderTracker orderId={orderId} />}
    </RequireShopper>
  );
}

type Load =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'ready' };

function OrderTracker({ orderId }: { orderId: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [liveProblem, setLiveProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const readOnce = () =>
      getOrder(orderId)
        .then((found) => {
          if (!live) return;
          if (!found) {
            setLoad((l) => (l.state === 'ready' ? l : { state: 'missing' }));
            return;
          }
          setOrder((current) => newerOrder(current, found));
          setLoad({ state: 'ready' });
        })
        .catch((thrown: StorefrontApiError) => {
          if (!live) return;
          if (thrown.code === 'UNAUTHORIZED' || thrown.code === 'ORDER_NOT_FOUND')
            setLoad({ state: 'missing' });
          else setLoad({ state: 'error', message: thrown.message });
        });
    // Read at once to show the order, and again whenever the subscription becomes live (AppSync's
    // acknowledgement, or a dropped connection coming back): a status that changed before then
    // was never sent to this page. newerOrder keeps whichever copy is further along.
    const stop = watchOrder(
      orderId,
      (incoming) => {
        if (!live) return;
        setOrder((current) => newerOrder(current, incoming));
        setLoad({ state: 'ready' });
      },
      (error) => {
        if (live)
          setLiveProblem(
            `Live updates stopped (${error.message}). Reload the page to see the latest status.`,
          );
      },
      () => void readOnce(),
    );
    void readOnce();
    return () => {
      live = false;
      stop();
    };
  }, [orderId]);

  // Once the order is finished nothing more will come.
  const finished = order ? isFinished(order.status) : false;

  if (load.state === 'loading') return <p role="status">Loading your order…</p>;
  if (load.state === 'missing' || (load.state === 'ready' && !order)) {
    return (
      <div role="alert" className="rounded-2xl border border-neutral-200 p-8 text-center">
        <h2 className="text-xl font-semibold">We could not find that order</h2>
        <p className="mt-2 text-neutral-700">
          It may belong to another account, or the link may be mistyped. Your own orders are in your
          order history.
        </p>
        <Link href="/orders" className={`${primaryButton} mt-6`}>
          Your orders
        </Link>
      </div>
    );
  }
  if (load.state === 'error') {
    return (
      <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-800">
        {load.message}
      </p>
    );
  }
  if (!order) return null;

  const reached = new Map(order.statusHistory.map((change) => [change.status, change]));
  const failed = order.status === 'FAILED';
  const steps = failed
    ? [...order.statusHistory.map((c) => c.status).filter((s) => s !== 'FAILED'), 'FAILED' as const]
    : withDetours(order.statusHistory.map((c) => c.status));
  const latest = order.statusHistory.at(-1);
  const next = failureNextStep(order);

  return (
    <div className="grid gap-10 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-8">
        <div className="flex flex-wrap items-center gap-3">
          <span
            data-status={order.status}
            className={`rounded-full px-3 py-1 text-sm font-semibold ring-1 ${statusTone(order.status)}`}
          >
            {STATUS_LABELS[order.status]}
          </span>
          {!finished ? (
            <span className="text-sm text-neutral-600">Updates appear here as they happen.</span>
          ) : null}
        </div>
        <p className="sr-only" role="status" aria-live="polite" aria-atomic="true">
          Order status: {STATUS_LABELS[order.status]}
          {latest ? ` at ${time(latest.at)}` : ''}
          {failed ? `. ${failureExplanation(order)}` : ''}
        </p>
        {liveProblem ? (
          <p role="alert" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
            {liveProblem}
          </p>
        ) : null}

        {order.status === 'ACTION_REQUIRED' ? <BankConfirmation orderId={order.id} /> : null}

        {failed ? (
          <div
            role="alert"
            className="rounded-2xl border border-red-200 bg-red-50 p-5 text-red-900"
          >
            <h2 className="font-semibold">This order did not go through</h2>
            <p className="mt-1">{failureExplanation(order)}</p>
            <Link href={next.href} className="mt-3 inline-block font-semibold underline">
              {next.label}
            </Link>
          </div>
        ) : null}

        <section aria-labelledby="timeline-heading">
          <h2 id="timeline-heading" className="mb-4 text-lg font-semibold">
            Progress
          </h2>
          <ol
            // ml-2: the dots sit astride the line, half outside it; keep them off the screen edge.
            className="relative ml-2 space-y-4 border-l border-neutral-200 pl-6"
          >
            {steps.map((status) => {
              const change = reached.get(status);
              return (
                <li
                  key={status}
                  data-status={status}
                  data-reached={change ? 'true' : 'false'}
                  className="relative"
                >
                  <span
                    aria-hidden="true"
                    className={`absolute -left-[1.95rem] top-1 h-3.5 w-3.5 rounded-full border-2 ${
                      change
                        ? status === 'FAILED'
                          ? 'border-red-600 bg-red-600'
                          : 'border-brand-600 bg-brand-600'
                        : 'border-neutral-300 bg-white'
                    }`}
                  />
                  <p
                    className={`text-sm font-semibold ${change ? 'text-ink' : 'text-neutral-500'}`}
                  >
                    {STATUS_LABELS[status]}
                    {!change ? <span className="sr-only"> (not yet)</span> : null}
                  </p>
                  {change ? (
                    <p className="text-xs text-neutral-600">
                      {/* A change's note is for operators (the admin page): never shown here. */}
                      <time dateTime={change.at}>{time(change.at)}</time>
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </section>

        {order.trackingNumber ? (
          <section
            aria-labelledby="shipping-heading"
            className="rounded-2xl border border-neutral-200 p-5"
          >
            <h2 id="shipping-heading" className="font-semibold">
              Shipment
            </h2>
            <p className="mt-1 text-sm">
              {order.carrier ?? 'Carrier'} · tracking number{' '}
              <span className="font-mono">{order.trackingNumber}</span>
            </p>
          </section>
        ) : null}
      </div>

      <aside
        aria-labelledby="order-summary"
        className="h-fit space-y-5 rounded-2xl border border-neutral-200 p-6"
      >
        <h2 id="order-summary" className="text-lg font-semibold">
          Summary
        </h2>
        <ul className="space-y-2 text-sm">
          {order.lines.map((line) => (
            <li key={line.productId} className="flex justify-between gap-3">
              <span>
                {line.name} <span className="text-neutral-600">× {line.quantity}</span>
              </span>
              <Price cents={line.unitPriceCents * line.quantity} currency={order.currency} />
            </li>
          ))}
        </ul>
        <CartSummary totals={order} currency={order.currency} upsell={false} />
        <div className="text-sm text-neutral-700">
          <h3 className="font-semibold text-ink">Ships to</h3>
          <p>
            {order.shippingAddress.name}
            <br />
            {order.shippingAddress.line1}
            {order.shippingAddress.line2 ? `, ${order.shippingAddress.line2}` : ''}
            <br />
            {order.shippingAddress.postalCode} {order.shippingAddress.city}
            {order.shippingAddress.region ? `, ${order.shippingAddress.region}` : ''} ·{' '}
            {order.shippingAddress.country}
          </p>
        </div>
        {order.receiptKey || reached.has('RECEIPT_READY') ? (
          <ReceiptButton orderId={order.id} />
        ) : null}
      </aside>
    </div>
  );
}
