import type { ReactNode } from 'react';
import { AmplifyProvider } from '@/components/auth/amplify-provider';
import { loadOutputs } from '@/lib/amplify-config';

/**
 * The pages that act for a signed-in shopper (checkout, orders, an order, admin, sign-in): only
 * these configure aws-amplify in the browser and load its auth, data and realtime clients.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  const result = await loadOutputs();
  return <AmplifyProvider outputs={result.ok ? result.outputs : null}>{children}</AmplifyProvider>;
}
