import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CartView } from '@/components/cart/cart-view';
import { BackendMissing } from '@/components/ui/backend-missing';
import { loadBackend } from '@/lib/amplify-config';

export const metadata: Metadata = { title: 'Cart', description: 'Your cart at Saga Supply.' };

export default function CartPage() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Your cart</h1>
      <Suspense fallback={<p role="status">Loading your cart…</p>}>
        <Cart />
      </Suspense>
    </div>
  );
}

async function Cart() {
  const result = await loadBackend();
  return result.ok ? <CartView /> : <BackendMissing result={result} />;
}
