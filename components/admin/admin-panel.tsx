'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { StorefrontApiError } from '@/lib/api-errors';
import { shownAt } from '@/lib/dates';
import { orderNumber } from '@/amplify/domain/order-number';
import { failureExplanation, STATUS_LABELS, statusTone } from '@/lib/order-status';
import { listInventory, listRecentOrders, setStock } from '@/lib/shopper-api';
import type { Order, Product } from '@/lib/types';
import type { OrderStatus } from '@/lib/types';
import { OperatorsOnly } from './operators-only';
import { productChanged } from './actions';
import { inputStyle, secondaryButton } from '../ui/button-styles';
import { Price } from '../ui/price';

// The first column (the product, the order) stays in view while a phone scrolls a table sideways.
const firstColumn = `sticky left-0 z-10 p-3 shadow-[inset_-1px_0_0_var(--color-neutral-200)]`;

/** The operator's page: ADMINS only (from the token's cognito:groups). */
export function AdminPanel() {
  return (
    <OperatorsOnly>
      <div className="space-y-12">
        <nav aria-label="Admin pages">
          <Link href="/admin/operations" className="font-semibold text-brand-700 underline">
            Operations
          </Link>{' '}
          <span className="text-sm text-neutral-600">
            orders by status, failures, queues, the dead-letter queue and executions
          </span>
        </nav>
        <Inventory />
        <OrdersOverview />
      </div>
    </OperatorsOnly>
  );
}

function Inventory() {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    try {
      setProducts(await listInventory());
      setError(null);
    } catch (thrown) {
      setError((thrown as StorefrontApiError).message);
    }
  }, []);

  useEffect(() => {
    let live = true;
    listInventory()
      .then((items) => live && setProducts(items))
      .catch((thrown: StorefrontApiError) => live && setError(thrown.message));
    return () => {
      live = false;
    };
  }, []);

  const save = async (product: Product, stock: number) => {
    try {
      const saved = await setStock(product.id, product.stock, stock);
      setProducts((list) => list?.map((p) => (p.id === saved.id ? saved : p)) ?? null);
      setMessage(`${saved.name}: stock is now ${saved.stock}.`);
      // The shop's cached pages show the new stock on their next visit.
      await productChanged(saved.id).catch(() => undefined);
    } catch (thrown) {
      const err = thrown as StorefrontApiError;
      setMessage(`${product.name}: not saved. ${err.detail || err.message}`);
      await load();
    }
  };

  return (
    <section aria-labelledby="inventory-heading">
      <h2 id="inventory-heading" className="mb-4 text-xl font-semibold">
        Inventory
      </h2>
      <p role="status" aria-live="polite" className="mb-3 text-sm font-medium text-brand-700">
        {message}
      </p>
      {error ? (
        <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-800">
          {error}
        </p>
      ) : null}
      {!products ? (
        <p role="status">Loading inventory…</p>
      ) : (
        // relative: the sr-only labels in the rows are positioned absolutely; without it they
        // escape the scroller and widen the whole page on a phone.
        <div className="relative overflow-x-auto rounded-2xl border border-neutral-200">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Products and their stock</caption>
            <thead className="bg-neutral-50 text-xs uppercase text-neutral-600">
              <tr>
                <th scope="col" className={`${firstColumn} bg-neutral-50`}>
                  Product
                </th>
                <th scope="col" className="p-3">
                  SKU
                </th>
                <th scope="col" className="p-3">
                  Price
                </th>
                <th scope="col" className="p-3">
                  Stock
                </th>
                <th scope="col" className="p-3">
                  Set stock
                </th>
                <th scope="col" className="p-3">
                  Restock
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-200">
              {products.map((product) => (
                <InventoryRow
                  key={`${product.id}:${product.stock}`}
                  product={product}
                  onSave={save}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InventoryRow({
  product,
  onSave,
}: {
  product: Product;
  onSave: (p: Product, stock: number) => Promise<void>;
}) {
  const [stock, setStockValue] = useState(String(product.stock));
  const [add, setAdd] = useState('10');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const parse = (text: string, min: number) => {
    const n = Number(text);
    return Number.isSafeInteger(n) && n >= min && n <= 1_000_000 ? n : null;
  };
  const run = async (value: number | null, what: string) => {
    if (value === null) {
      setError(`${what} must be a whole number from 0 to 1,000,000.`);
      return;
    }
    setError('');
    setBusy(true);
    await onSave(product, value);
    setBusy(false);
  };
  const errorId = `stock-error-${product.id}`;
  return (
    <tr>
      <th scope="row" className={`${firstColumn} bg-white font-medium`}>
        {product.name}
        {!product.active ? <span className="ml-2 text-xs text-neutral-500">(inactive)</span> : null}
      </th>
      <td className="p-3 font-mono text-xs">{product.sku}</td>
      <td className="p-3">
        <Price cents={product.priceCents} currency={product.currency} />
      </td>
      <td className="p-3 font-semibold">{product.stock}</td>
      <td className="p-3">
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void run(parse(stock, 0), 'Stock');
          }}
        >
          <label className="sr-only" htmlFor={`stock-${product.id}`}>
            Stock of {product.name}
          </label>
          <input
            id={`stock-${product.id}`}
            type="number"
            min={0}
            value={stock}
            onChange={(e) => setStockValue(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className={`${inputStyle} w-24`}
          />
          <button type="submit" className={secondaryButton} disabled={busy}>
            Save<span className="sr-only"> stock of {product.name}</span>
          </button>
        </form>
        {error ? (
          <p id={errorId} className="mt-1 text-xs text-red-700">
            {error}
          </p>
        ) : null}
      </td>
      <td className="p-3">
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const n = parse(add, 1);
            void run(n === null ? null : product.stock + n, 'Restock quantity');
          }}
        >
          <label className="sr-only" htmlFor={`restock-${product.id}`}>
            Units to add to {product.name}
          </label>
          <input
            id={`restock-${product.id}`}
            type="number"
            min={1}
            value={add}
            onChange={(e) => setAdd(e.target.value)}
            className={`${inputStyle} w-20`}
          />
          <button type="submit" className={secondaryButton} disabled={busy}>
            Restock<span className="sr-only"> {product.name}</span>
          </button>
        </form>
      </td>
    </tr>
  );
}

function OrdersOverview() {
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    listRecentOrders(null, 100)
      .then((page) => live && setOrders(page.items))
      .catch((thrown: StorefrontApiError) => live && setError(thrown.message));
    return () => {
      live = false;
    };
  }, []);
  const counts = new Map<OrderStatus, number>();
  for (const order of orders ?? []) counts.set(order.status, (counts.get(order.status) ?? 0) + 1);
  return (
    <section aria-labelledby="orders-heading">
      <h2 id="orders-heading" className="mb-4 text-xl font-semibold">
        Orders
      </h2>
      {error ? (
        <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-800">
          {error}
        </p>
      ) : null}
      {!orders ? (
        <p role="status">Loading orders…</p>
      ) : (
        <>
          <ul className="mb-4 flex flex-wrap gap-2 text-xs" aria-label="Orders by status">
            {[...counts].map(([status, count]) => (
              <li
                key={status}
                className={`rounded-full px-2.5 py-1 font-semibold ring-1 ${statusTone(status)}`}
              >
                {STATUS_LABELS[status]}: {count}
              </li>
            ))}
          </ul>
          {/* Focusable: on a phone the table scrolls sideways, and keyboards must reach it too. */}
          <div
            className="relative overflow-x-auto rounded-2xl border border-neutral-200"
            tabIndex={0}
            role="region"
            aria-label="Recent orders (scrolls sideways)"
          >
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">Recent orders</caption>
              <thead className="bg-neutral-50 text-xs uppercase text-neutral-600">
                <tr>
                  <th scope="col" className={`${firstColumn} bg-neutral-50`}>
                    Order
                  </th>
                  <th scope="col" className="p-3">
                    Placed
                  </th>
                  <th scope="col" className="p-3">
                    Customer
                  </th>
                  <th scope="col" className="p-3">
                    Total
                  </th>
                  <th scope="col" className="p-3">
                    Status
                  </th>
                  <th scope="col" className="p-3">
                    Failure reason
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-200">
                {orders.map((order) => (
                  <tr key={order.id}>
                    <th scope="row" className={`${firstColumn} bg-white text-xs font-normal`}>
                      <span className="font-semibold">{orderNumber(order.id)}</span>
                      <span className="block font-mono text-neutral-500">{order.id}</span>
                    </th>
                    <td className="p-3 text-xs">{shownAt(order.createdAt)}</td>
                    <td className="p-3 text-xs">{order.email}</td>
                    <td className="p-3">
                      <Price cents={order.totalCents} currency={order.currency} />
                    </td>
                    <td className="p-3">
                      <span
                        className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${statusTone(order.status)}`}
                      >
                        {STATUS_LABELS[order.status]}
                      </span>
                    </td>
                    <td className="p-3 text-xs">
                      {order.status === 'FAILED'
                        ? `${order.failureCode ?? ''} ${failureExplanation(order)}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
