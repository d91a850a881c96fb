import Link from 'next/link';
import { AccountMenu, type AccountSettings } from './account-menu';
import { CartLink } from './cart-link';

/** The header on every page: shop name, navigation, sign-in state, cart count, local mailbox. */
export function SiteHeader({
  localMode,
  account,
}: {
  localMode: boolean;
  account: AccountSettings | null;
}) {
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
              <Link href="/orders" className="hover:text-ink">
                Orders
              </Link>
            </li>
            {localMode ? (
              <li>
                <Link href="/mailbox" className="hover:text-ink">
                  Mailbox
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <AccountMenu account={account} />
          <CartLink />
        </div>
      </div>
    </header>
  );
}
