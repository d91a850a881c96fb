import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * React re-renders every reader of an external store, synchronously and after hydration, when the
 * browser's first snapshot is not the server's. The cart wraps every page, so an empty cart must be
 * the server's snapshot itself, not an equal new array.
 */
describe('cartStore snapshots', () => {
  const storage = new Map<string, string>();

  beforeEach(() => {
    storage.clear();
    vi.resetModules();
    vi.stubGlobal('window', {
      localStorage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => void storage.set(key, value),
      },
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const load = async () => (await import('./cart-store')).cartStore;

  it.each([
    ['nothing stored', null],
    ['an empty list', '[]'],
    ['text that is not JSON', '{"lines": ['],
    ['lines that are not cart lines', '[{"productId": 7}]'],
  ])('gives the server snapshot for an empty cart (%s)', async (_what, stored) => {
    if (stored !== null) storage.set('saga-supply.cart.v1', stored);
    const store = await load();
    expect(store.getSnapshot()).toBe(store.getServerSnapshot());
  });

  it('gives the stored lines, the same array until the storage changes', async () => {
    const store = await load();
    const line = {
      productId: 'prod-field-compass',
      quantity: 2,
      name: 'Field Compass',
      priceCents: 2900,
      currency: 'USD',
      image: '/products/compass.svg',
      stock: 60,
    };
    store.dispatch({ type: 'add', line });
    const first = store.getSnapshot();
    expect(first).toEqual([line]);
    expect(store.getSnapshot()).toBe(first);
    store.dispatch({ type: 'clear' });
    expect(store.getSnapshot()).toBe(store.getServerSnapshot());
  });
});
