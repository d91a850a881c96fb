import Link from 'next/link';
import { IntentLink } from '../ui/intent-link';

/** The footer: where to go next, and what the shop is. */
export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-neutral-200 bg-neutral-50">
      <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-10 text-sm text-neutral-600 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>Saga Supply · goods for the workshop and the trail.</p>
        <nav aria-label="Footer">
          <ul className="flex gap-5">
            <li>
              <Link href="/products" className="hover:text-ink">
                All products
              </Link>
            </li>
            <li>
              <IntentLink href="/orders" className="hover:text-ink">
                Your orders
              </IntentLink>
            </li>
            <li>
              <IntentLink href="/cart" className="hover:text-ink">
                Cart
              </IntentLink>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
