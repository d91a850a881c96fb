import { loadOutputs } from '@/lib/amplify-config';
import { authOnlyOutputs, localEndpoints } from '@/lib/outputs';
import Link from 'next/link';
import { AccountMenu } from './account-menu';

export { AccountPlaceholder } from './account-menu';

// The header's parts that depend on which backend runs (read from amplify_outputs.json at request
// time): each streams into the prerendered header in its own Suspense boundary.

/** Sign-in state, once the app client's id is known. */
export async function HeaderAccount() {
  const result = await loadOutputs();
  const outputs = result.ok ? result.outputs : null;
  const account = outputs?.auth
    ? { userPoolClientId: outputs.auth.user_pool_client_id, outputs: authOnlyOutputs(outputs) }
    : null;
  return <AccountMenu account={account} />;
}

/** The local mailbox link, offline only. */
export async function MailboxNavItem() {
  const result = await loadOutputs();
  if (!result.ok || !localEndpoints(result.outputs)) return null;
  return (
    <li>
      <Link href="/mailbox" className="hover:text-ink">
        Mailbox
      </Link>
    </li>
  );
}
