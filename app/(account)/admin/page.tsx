import type { Metadata } from 'next';
import { AdminPanel } from '@/components/admin/admin-panel';

export const metadata: Metadata = {
  title: 'Admin',
  description: 'Inventory and orders.',
  robots: { index: false },
};

export default function AdminPage() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Store admin</h1>
      <AdminPanel />
    </div>
  );
}
