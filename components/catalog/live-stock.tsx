'use client';

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { readProductStock, stockPath, type ProductStock } from '@/lib/product-stock';
import type { Product } from '@/lib/types';
import { AddToCart } from '../cart/add-to-cart';
import { StockBadge } from './stock-badge';

const LiveProduct = createContext<Product | null>(null);

/**
 * The product page's stock as the backend has it now. The page is prerendered with the stock of
 * its cached product (expired by tag whenever an order or an operator changes it), so it is shown
 * whole at once; a page a shopper saw earlier is kept by the router for minutes, though, so the
 * stock is read again each time the page is shown (at load, on every return to it through the
 * router, and when the tab comes back into view). Until the answer comes, or if it never does,
 * the prerendered stock stands: checkout and the saga check stock again anyway.
 */
export function LiveStock({ product, children }: { product: Product; children: ReactNode }) {
  const [live, setLive] = useState<ProductStock | null>(null);

  useEffect(() => {
    // Effects are cleaned up while Next keeps this page hidden and run again when it is shown.
    let reading = new AbortController();
    const read = () => {
      reading.abort();
      reading = new AbortController();
      fetch(stockPath(product.id), { cache: 'no-store', signal: reading.signal })
        .then(async (response) => {
          // Gone since the page was made: no longer sold.
          if (response.status === 404) return { productId: product.id, stock: 0, active: false };
          return response.ok ? readProductStock(await response.json(), product.id) : null;
        })
        .then((stock) => {
          // An answer that matches what the page shows keeps the state as it is, so React skips
          // the re-render of the badge and the form: on a page load that is the usual answer.
          if (!stock) return;
          const prerendered = {
            productId: product.id,
            stock: product.stock,
            active: product.active,
          };
          setLive((shown) => (sameStock(shown ?? prerendered, stock) ? shown : stock));
        })
        .catch(() => {
          // Offline, aborted or refused: what the page shows stands.
        });
    };
    const onShown = () => {
      if (document.visibilityState === 'visible') read();
    };
    read();
    document.addEventListener('visibilitychange', onShown);
    return () => {
      reading.abort();
      document.removeEventListener('visibilitychange', onShown);
    };
  }, [product]);

  const current =
    live?.productId === product.id
      ? { ...product, stock: live.stock, active: live.active }
      : product;
  return <LiveProduct value={current}>{children}</LiveProduct>;
}

function sameStock(shown: ProductStock, read: ProductStock): boolean {
  return (
    shown.productId === read.productId && shown.stock === read.stock && shown.active === read.active
  );
}

function useLiveProduct(): Product {
  const product = useContext(LiveProduct);
  if (!product) throw new Error('the live stock badge and add-to-cart belong inside <LiveStock>');
  return product;
}

export function LiveStockBadge() {
  const product = useLiveProduct();
  return <StockBadge stock={product.active ? product.stock : 0} />;
}

export function LiveAddToCart() {
  return <AddToCart product={useLiveProduct()} />;
}
