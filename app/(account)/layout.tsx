import { Suspense, type ReactNode } from 'react';
import { AmplifyProvider } from '@/components/auth/amplify-provider';
import { BackendMissing } from '@/components/ui/backend-missing';
import { loadBackend } from '@/lib/amplify-config';

/**
 * The pages that act for a signed-in shopper (checkout, orders, an order, admin, sign-in): only
 * these configure aws-amplify in the browser and load its auth, data and realtime clients.
 */
export default function AccountLayout({ children }: { children: ReactNode }) {
  // The one loading state for the account pages: they all wait for the backend's settings.
  return (
    <Suspense fallback={<AccountLoading />}>
      <WithBackend>{children}</WithBackend>
    </Suspense>
  );
}

function AccountLoading() {
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6" role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <div className="h-8 w-56 animate-pulse rounded bg-neutral-200" />
      <div className="mt-8 h-48 animate-pulse rounded-2xl bg-neutral-100" />
    </div>
  );
}

async function WithBackend({ children }: { children: ReactNode }) {
  const result = await loadBackend();
  // Nobody can sign in or read an order without the backend: say how to start it instead.
  if (!result.ok)
    return (
      <div className="px-4 sm:px-6">
        <BackendMissing result={result} />
      </div>
    );
  return <AmplifyProvider outputs={result.outputs}>{children}</AmplifyProvider>;
}
