import { applyCartAction, parseStoredCart, type CartAction } from '@/lib/cart';
import type { CartLine } from '@/lib/types';

const KEY = 'saga-supply.cart.v1';
const EMPTY: CartLine[] = [];
const listeners = new Set<() => void>();
let cachedText: string | null | undefined;
let cachedLines: CartLine[] = EMPTY;

const read = (): CartLine[] => {
  const text = window.localStorage.getItem(KEY);
  if (text !== cachedText) {
    cachedText = text;
    const lines = parseStoredCart(text);
    // The server's snapshot itself when empty: React re-renders every reader, synchronously, when
    // the browser's first snapshot differs from the server's.
    cachedLines = lines.length > 0 ? lines : EMPTY;
  }
  return cachedLines;
};

/** The cart in localStorage as an external store (survives reloads, follows other tabs). */
export const cartStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === KEY) listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  },
  getSnapshot: read,
  getServerSnapshot: (): CartLine[] => EMPTY,
  dispatch(action: CartAction): void {
    const next = applyCartAction(read(), action);
    window.localStorage.setItem(KEY, JSON.stringify(next));
    for (const listener of listeners) listener();
  },
};
