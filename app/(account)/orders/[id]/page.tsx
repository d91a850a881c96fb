import type { Metadata } from 'next';
import { orderNumber } from '@/amplify/domain/order-number';
import { OrderLive } from '@/components/orders/order-live';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Order ${orderNumber(id)}`, description: 'Follow your order live.' };
}

export default async function OrderPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Order {orderNumber(id)}</h1>
      <OrderLive orderId={id} />
    </div>
  );
}
