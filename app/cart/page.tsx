import type { Metadata } from 'next';
import { CartView } from '@/components/cart/cart-view';
import { BackendMissing } from '@/components/ui/backend-missing';
import { loadBackend } from '@/lib/amplify-config';

export const metadata: Metadata = { title: 'Cart', description: 'Your cart at Saga Supply.' };

export default async function CartPage() {
  const result = await loadBackend();
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Your cart</h1>
      {result.ok ? <CartView /> : <BackendMissing result={result} />}
    </div>
  );
}
