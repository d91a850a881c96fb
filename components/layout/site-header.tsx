import Link from 'next/link';
import { Suspense } from 'react';
import { CartLink } from './cart-link';
import { AccountPlaceholder, HeaderAccount, MailboxNavItem } from './header-account';
import { IntentLink } from '../ui/intent-link';

/**
 * The header on every page: shop name, navigation, sign-in state, cart count, local mailbox. It is
 * prerendered; only the parts that read the backend's settings wait, each in its own boundary.
 */
export function SiteHeader() {
  return (
    <header className="sticky top-0 z-30 border-b border-neutral-200 bg-white/90 backdrop-blur">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:rounded focus:bg-ink focus:px-3 focus:py-2 focus:text-white"
      >
        Skip to content
      </a>
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-bold tracking-tight text-ink">
          Saga<span className="text-brand-600"> Supply</span>
        </Link>
        <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto">
          <ul className="flex gap-5 text-sm font-medium text-neutral-700">
            <li>
              <Link href="/products" className="hover:text-ink">
                Shop
              </Link>
            </li>
            <li>
              <IntentLink href="/orders" className="hover:text-ink">
                Orders
              </IntentLink>
            </li>
            <Suspense fallback={null}>
              <MailboxNavItem />
            </Suspense>
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <Suspense fallback={<AccountPlaceholder />}>
            <HeaderAccount />
          </Suspense>
          <CartLink />
        </div>
      </div>
    </header>
  );
}
