'use client';

import {
  createContext,
  use,
  useCallback,
  useMemo,
  useState,
  useSyncExternalStore,
  useTransition,
  type ReactNode,
} from 'react';
import { cartProblems, type CartAction, type CartProblem } from '@/lib/cart';
import type { CartLine } from '@/lib/types';
import { checkAvailability } from './actions';
import { cartStore } from './cart-store';

interface CartContextValue {
  /** The cart as the shopper sees it: each change at once, then capped by the stock check. */
  lines: CartLine[];
  pending: boolean;
  /** What the last stock check found (sold out, fewer left, gone, price changed). */
  problems: CartProblem[];
  notice: string | null;
  add: (line: CartLine) => void;
  setQuantity: (productId: string, quantity: number) => void;
  remove: (productId: string) => void;
  clear: () => void;
  /** Puts lines back (a failed order's), replacing those of the same products, with what changed. */
  restore: (lines: CartLine[], problems: CartProblem[]) => void;
  /** Re-reads price and stock from the server; resolves to what changed. */
  refresh: () => Promise<CartProblem[] | null>;
}

const CartContext = createContext<CartContextValue | null>(null);

/**
 * The shopper's cart: localStorage-backed, shown as changed at once, capped by live stock. It wraps
 * every page, so it does not re-render once hydrated: an empty cart reads as the server's snapshot,
 * and whether hydration is over is asked only where it matters (useHydrated).
 */
export function CartProvider({ children }: { children: ReactNode }) {
  const stored = useSyncExternalStore(
    cartStore.subscribe,
    cartStore.getSnapshot,
    cartStore.getServerSnapshot,
  );
  const [pending, startTransition] = useTransition();
  const [problems, setProblems] = useState<CartProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const refreshIds = useCallback(async (ids: string[]): Promise<CartProblem[] | null> => {
    if (ids.length === 0) return [];
    const result = await checkAvailability(ids);
    if (!result.ok) {
      setNotice(result.message);
      return null;
    }
    const found = cartProblems(cartStore.getSnapshot(), result.products);
    cartStore.dispatch({ type: 'refresh', products: result.products });
    setProblems((previous) => [...previous.filter((p) => !ids.includes(p.productId)), ...found]);
    setNotice(null);
    return found;
  }, []);

  const run = useCallback(
    (action: CartAction, checkIds: string[]) => {
      // The store is written, and read back by every reader, at once; only the stock check waits.
      // (An optimistic layer over it counted an added line twice until the check answered.)
      cartStore.dispatch(action);
      startTransition(async () => {
        await refreshIds(checkIds);
      });
    },
    [refreshIds],
  );

  // Stable across renders: a page that checks on arrival (useEffect on refresh) must not check
  // again each time the check itself changes the cart's state, or it loops.
  const refresh = useCallback(
    () => refreshIds(cartStore.getSnapshot().map((line) => line.productId)),
    [refreshIds],
  );

  const restore = useCallback((restored: CartLine[], found: CartProblem[]) => {
    cartStore.dispatch({ type: 'restore', lines: restored });
    const ids = new Set(restored.map((line) => line.productId));
    setProblems((previous) => [...previous.filter((p) => !ids.has(p.productId)), ...found]);
  }, []);

  const value = useMemo<CartContextValue>(
    () => ({
      lines: stored,
      pending,
      problems,
      notice,
      add: (line) => run({ type: 'add', line }, [line.productId]),
      setQuantity: (productId, quantity) =>
        run({ type: 'set', productId, quantity }, quantity > 0 ? [productId] : []),
      remove: (productId) => {
        setProblems((previous) => previous.filter((p) => p.productId !== productId));
        run({ type: 'remove', productId }, []);
      },
      restore,
      clear: () => {
        setProblems([]);
        cartStore.dispatch({ type: 'clear' });
      },
      refresh,
    }),
    [stored, pending, problems, notice, run, refresh, restore],
  );

  return <CartContext value={value}>{children}</CartContext>;
}

export function useCart(): CartContextValue {
  const value = use(CartContext);
  if (!value) throw new Error('useCart must be used inside <CartProvider>');
  return value;
}
