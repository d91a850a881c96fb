import type { Metadata } from 'next';
import { Checkout } from '@/components/checkout/checkout';

export const metadata: Metadata = { title: 'Checkout', description: 'Place your order.' };

export default async function CheckoutPage({
  searchParams,
}: {
  searchParams: Promise<{ retry?: string | string[] }>;
}) {
  // "Try another card" on a failed order: its lines and address come back to this form.
  const { retry } = await searchParams;
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Checkout</h1>
      <Checkout retryOrderId={typeof retry === 'string' ? retry : undefined} />
    </div>
  );
}
