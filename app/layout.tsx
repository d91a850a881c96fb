import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { Providers } from '@/components/providers';
import { loadOutputs } from '@/lib/amplify-config';
import { localEndpoints } from '@/lib/outputs';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Saga Supply', template: '%s · Saga Supply' },
  description: 'Goods for the workshop and the trail, shipped through a serverless order saga.',
};

export const viewport: Viewport = { themeColor: '#1d503a' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const result = await loadOutputs();
  const outputs = result.ok ? result.outputs : null;
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-white font-sans text-ink antialiased">
        <Providers outputs={outputs}>
          <SiteHeader localMode={Boolean(outputs && localEndpoints(outputs))} />
          <main id="main" className="flex-1">
            {children}
          </main>
          <SiteFooter />
        </Providers>
      </body>
    </html>
  );
}
