import type { Metadata } from 'next';
import { OrderHistory } from '@/components/orders/order-history';

export const metadata: Metadata = { title: 'Your orders', description: 'Your order history.' };

export default function OrdersPage() {
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Your orders</h1>
      <OrderHistory />
    </div>
  );
}
