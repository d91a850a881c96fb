import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { CartProvider } from '@/components/cart/cart-context';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Saga Supply', template: '%s · Saga Supply' },
  description: 'Goods for the workshop and the trail, shipped through a serverless order saga.',
};

export const viewport: Viewport = { themeColor: '#1d503a' };

// Every page gets the cart and a header that reads the sign-in state from cookies; aws-amplify
// itself is configured only in app/(account)/layout.tsx, for the pages that act for a shopper.
// Nothing here waits: the layout is part of every page's prerendered shell.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-white font-sans text-ink antialiased">
        <CartProvider>
          <SiteHeader />
          <main id="main" className="flex-1">
            {children}
          </main>
          <SiteFooter />
        </CartProvider>
      </body>
    </html>
  );
}
