'use client';

import { cartCount } from '@/lib/cart';
import { useCart } from '../cart/cart-context';
import { IntentLink } from '../ui/intent-link';

/** The cart button with its item count. */
export function CartLink() {
  // The server's snapshot (no lines) while hydrating, then the stored cart.
  const count = cartCount(useCart().lines);
  return (
    <IntentLink
      href="/cart"
      className="relative inline-flex items-center gap-2 rounded-full border border-neutral-300 px-4 py-2 text-sm font-semibold hover:border-ink"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-4 w-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6" />
        <circle cx="10" cy="20" r="1.4" />
        <circle cx="17" cy="20" r="1.4" />
      </svg>
      <span>Cart</span>
      <span className="min-w-6 rounded-full bg-ink px-1.5 text-center text-xs leading-6 text-white">
        {count}
      </span>
      <span className="sr-only">{count === 1 ? ' item' : ' items'}</span>
    </IntentLink>
  );
}
