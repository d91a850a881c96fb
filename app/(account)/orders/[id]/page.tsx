import type { Metadata } from 'next';
import { OrderLive } from '@/components/orders/order-live';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Order ${id.slice(0, 12)}`, description: 'Follow your order live.' };
}

export default async function OrderPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Order</h1>
      <p className="mt-1 mb-8 font-mono text-sm text-neutral-600" data-testid="order-id">
        {id}
      </p>
      <OrderLive orderId={id} />
    </div>
  );
}
