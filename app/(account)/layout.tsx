import type { ReactNode } from 'react';
import { AmplifyProvider } from '@/components/auth/amplify-provider';
import { BackendMissing } from '@/components/ui/backend-missing';
import { loadBackend } from '@/lib/amplify-config';

/**
 * The pages that act for a signed-in shopper (checkout, orders, an order, admin, sign-in): only
 * these configure aws-amplify in the browser and load its auth, data and realtime clients.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
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
