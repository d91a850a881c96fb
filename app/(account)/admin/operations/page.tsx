import type { Metadata } from 'next';
import { OperationsPanel } from '@/components/admin/operations-panel';

export const metadata: Metadata = {
  title: 'Operations',
  description: 'Orders, failures, queues and executions.',
  robots: { index: false },
};

export default function OperationsPage() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-3xl font-bold tracking-tight">Operations</h1>
      <OperationsPanel />
    </div>
  );
}
