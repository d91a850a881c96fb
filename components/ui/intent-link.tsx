'use client';

import Link from 'next/link';
import { useState, type ComponentProps } from 'react';

/**
 * A link prefetched only once the shopper shows intent (pointer over it, a touch, keyboard focus):
 * account pages, the cart, the mailbox, category chips, a product's breadcrumb and the product
 * cards of a grid.
 * Next prefetches every link in view by default, and on a catalog or home page those links brought
 * about 100 KB of account-route JavaScript into the page's start-up, and one product payload per
 * card in view, competing with the product photos and the main thread. A hover or a touch gives
 * the prefetch a few hundred milliseconds' head start, which is most of what it buys. "Shop" keeps
 * the default prefetch.
 */
export function IntentLink({
  onMouseEnter,
  onTouchStart,
  onFocus,
  ...props
}: Omit<ComponentProps<typeof Link>, 'prefetch'>) {
  const [intent, setIntent] = useState(false);
  return (
    <Link
      {...props}
      prefetch={intent ? null : false}
      onMouseEnter={(event) => {
        setIntent(true);
        onMouseEnter?.(event);
      }}
      onTouchStart={(event) => {
        setIntent(true);
        onTouchStart?.(event);
      }}
      onFocus={(event) => {
        setIntent(true);
        onFocus?.(event);
      }}
    />
  );
}
