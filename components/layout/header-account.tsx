import { cacheLife } from 'next/cache';
import { readOutputsFile } from '@/lib/amplify-config';
import { authOnlyOutputs, localEndpoints } from '@/lib/outputs';
import { IntentLink } from '../ui/intent-link';
import { AccountMenu, type AccountSettings } from './account-menu';

export { AccountPlaceholder } from './account-menu';

interface HeaderSettings {
  account: AccountSettings | null;
  /** The local mailbox's link is shown offline only. */
  mailbox: boolean;
}

/**
 * What the header needs from amplify_outputs.json, cached across requests so that the header does
 * not make every page wait for the file: with a backend's outputs present at `next build`, pages
 * with nothing else dynamic are prerendered whole. Without outputs the read gets a zero lifetime
 * (as the catalog's reads do), so a backend started after the build shows at the next request.
 * The outputs of a running backend rarely change; when they do (a local reset gives a new app
 * client), the `backend` profile's revalidation picks the new ones up within a minute.
 */
async function headerSettings(): Promise<HeaderSettings> {
  'use cache';
  const result = await readOutputsFile();
  if (!result.ok) {
    cacheLife({ stale: 0, revalidate: 0, expire: 0 });
    return { account: null, mailbox: false };
  }
  cacheLife('backend');
  const { outputs } = result;
  return {
    account: outputs.auth
      ? { userPoolClientId: outputs.auth.user_pool_client_id, outputs: authOnlyOutputs(outputs) }
      : null,
    mailbox: localEndpoints(outputs) !== null,
  };
}

// The header's parts that depend on which backend runs: each streams into the prerendered header
// in its own Suspense boundary when the settings are not cached yet.

/** Sign-in state, once the app client's id is known. */
export async function HeaderAccount() {
  const { account } = await headerSettings();
  return <AccountMenu account={account} />;
}

/** The local mailbox link, offline only. */
export async function MailboxNavItem() {
  const { mailbox } = await headerSettings();
  if (!mailbox) return null;
  return (
    <li>
      <IntentLink href="/mailbox" className="hover:text-ink">
        Mailbox
      </IntentLink>
    </li>
  );
}
