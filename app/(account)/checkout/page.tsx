import type { Metadata } from 'next';
import { Checkout } from '@/components/checkout/checkout';

export const metadata: Metadata = { title: 'Checkout', description: 'Place your order.' };

export default function CheckoutPage() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Checkout</h1>
      <Checkout />
    </div>
  );
}
