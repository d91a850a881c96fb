'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { maxQuantity } from '@/lib/cart';
import type { Product } from '@/lib/types';
import { inputStyle, primaryButton } from '../ui/button-styles';
import { useCart } from './cart-context';

/** Quantity picker and add-to-cart button; never lets the cart hold more than is in stock. */
export function AddToCart({ product }: { product: Product }) {
  const { lines, add, pending } = useCart();
  const inCart = lines.find((line) => line.productId === product.id)?.quantity ?? 0;
  const room = Math.max(0, maxQuantity(product.stock) - inCart);
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState('');
  const inputId = useId();
  const hintId = useId();

  if (!product.active || product.stock <= 0) {
    return (
      <p className="rounded-xl bg-neutral-100 p-4 text-sm text-neutral-800" role="status">
        {product.active
          ? 'This product is sold out. Check back soon.'
          : 'This product is no longer sold.'}
      </p>
    );
  }

  const chosen = Math.min(quantity, Math.max(room, 1));

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (room <= 0) {
          setMessage(`Your cart already holds all ${inCart} we have in stock.`);
          return;
        }
        add({
          productId: product.id,
          quantity: chosen,
          name: product.name,
          priceCents: product.priceCents,
          currency: product.currency,
          image: product.image,
          stock: product.stock,
        });
        setMessage(`Added ${chosen} × ${product.name} to your cart.`);
        setQuantity(1);
      }}
    >
      <div className="flex items-end gap-3">
        <div className="w-28">
          <label htmlFor={inputId} className="mb-1 block text-sm font-medium">
            Quantity
          </label>
          <input
            id={inputId}
            type="number"
            inputMode="numeric"
            min={1}
            max={Math.max(room, 1)}
            value={chosen}
            aria-describedby={hintId}
            disabled={room <= 0}
            onChange={(event) => {
              const next = Number.parseInt(event.target.value, 10);
              setQuantity(
                Number.isFinite(next) ? Math.max(1, Math.min(next, Math.max(room, 1))) : 1,
              );
            }}
            className={inputStyle}
          />
        </div>
        <button type="submit" className={`${primaryButton} flex-1`} disabled={room <= 0}>
          Add to cart
        </button>
      </div>
      <p id={hintId} className="text-xs text-neutral-600">
        {room > 0
          ? `You can add up to ${room}${inCart ? ` more (${inCart} already in your cart)` : ''}.`
          : `Your cart holds all ${inCart} in stock.`}
      </p>
      <p role="status" aria-live="polite" className="text-sm font-medium text-brand-700">
        {message}
        {message && !pending ? (
          <>
            {' '}
            <Link href="/cart" className="underline">
              View cart
            </Link>
          </>
        ) : null}
      </p>
    </form>
  );
}
