import type { Metadata } from 'next';
import Link from 'next/link';
import { primaryButton } from '@/components/ui/button-styles';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-2xl px-4 py-16 text-center">
      <h1 className="text-3xl font-bold tracking-tight">We could not find that page</h1>
      <p className="mt-4 text-neutral-700">
        The product or page may have been removed, or the link may be mistyped.
      </p>
      <Link href="/products" className={`${primaryButton} mt-8`}>
        Browse the shop
      </Link>
    </div>
  );
}
