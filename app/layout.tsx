import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { CartProvider } from '@/components/cart/cart-context';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { loadOutputs } from '@/lib/amplify-config';
import { authOnlyOutputs, localEndpoints } from '@/lib/outputs';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Saga Supply', template: '%s · Saga Supply' },
  description: 'Goods for the workshop and the trail, shipped through a serverless order saga.',
};

export const viewport: Viewport = { themeColor: '#1d503a' };

// Every page gets the cart and a header that reads the sign-in state from cookies; aws-amplify
// itself is configured only in app/(account)/layout.tsx, for the pages that act for a shopper.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const result = await loadOutputs();
  const outputs = result.ok ? result.outputs : null;
  const account = outputs?.auth
    ? { userPoolClientId: outputs.auth.user_pool_client_id, outputs: authOnlyOutputs(outputs) }
    : null;
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-white font-sans text-ink antialiased">
        <CartProvider>
          <SiteHeader localMode={Boolean(outputs && localEndpoints(outputs))} account={account} />
          <main id="main" className="flex-1">
            {children}
          </main>
          <SiteFooter />
        </CartProvider>
      </body>
    </html>
  );
}
