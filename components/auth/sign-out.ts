'use client';

import { signOut } from 'aws-amplify/auth';
import { amplifyConfigured, configureAmplify } from '@/lib/amplify-client';
import type { AmplifyOutputs } from '@/lib/outputs';
import { sessionChanged } from './session-store';

/**
 * Signs the shopper out through aws-amplify. Loaded only when the shopper clicks "Sign out", so a
 * guest page configures aws-amplify (from the outputs the header holds) at that moment.
 */
export async function signOutShopper(outputs: AmplifyOutputs): Promise<void> {
  if (!amplifyConfigured()) configureAmplify(outputs);
  try {
    await signOut();
  } finally {
    sessionChanged();
  }
}
