import { describe, expect, it } from 'vitest';
import { applyCartAction, cartProblems, linesFromOrder, parseStoredCart } from './cart';
import type { CartLine, Product } from './types';

const line = (over: Partial<CartLine> = {}): CartLine => ({
  productId: 'p1',
  quantity: 1,
  name: 'Camp mug',
  priceCents: 1500,
  currency: 'USD',
  image: '/products/p1.svg',
  stock: 3,
  ...over,
});

const product = (over: Partial<Product> = {}): Product => ({
  id: 'p1',
  sku: 'MUG',
  name: 'Camp mug',
  description: '',
  priceCents: 1500,
  currency: 'USD',
  image: '/products/p1.svg',
  stock: 3,
  active: true,
  category: 'Kitchen',
  ...over,
});

describe('Cart: applyCartAction', () => {
  it('adds a product, then adds to the same line', () => {
    // Prepare
    const once = applyCartAction([], { type: 'add', line: line() });
    // Act
    const twice = applyCartAction(once, { type: 'add', line: line({ quantity: 1 }) });
    // Assess
    expect(twice).toEqual([line({ quantity: 2 })]);
  });

  it('never holds more than is in stock', () => {
    const cart = applyCartAction([line({ quantity: 2 })], {
      type: 'add',
      line: line({ quantity: 5 }),
    });
    expect(cart[0]?.quantity).toBe(3);
    expect(applyCartAction(cart, { type: 'set', productId: 'p1', quantity: 40 })[0]?.quantity).toBe(
      3,
    );
  });

  it('drops a line set to zero and one removed', () => {
    expect(applyCartAction([line()], { type: 'set', productId: 'p1', quantity: 0 })).toEqual([]);
    expect(applyCartAction([line()], { type: 'remove', productId: 'p1' })).toEqual([]);
  });

  it('refresh caps to the new stock and marks vanished products as unavailable', () => {
    const cart = [line({ quantity: 3 }), line({ productId: 'gone', name: 'Old lamp' })];
    const next = applyCartAction(cart, {
      type: 'refresh',
      products: { p1: product({ stock: 1, priceCents: 1700 }), gone: null },
    });
    expect(next[0]).toMatchObject({ quantity: 1, stock: 1, priceCents: 1700 });
    expect(next[1]).toMatchObject({ productId: 'gone', stock: 0, quantity: 1 });
  });
});

describe('Cart: cartProblems', () => {
  it.each([
    ['gone', null, /no longer sold/],
    ['sold-out', product({ stock: 0 }), /just sold out/],
    ['short', product({ stock: 1 }), /Only 1 of Camp mug left/],
    ['price-changed', product({ priceCents: 1999 }), /price of Camp mug changed/],
  ] as const)('explains a %s product', (kind, current, message) => {
    const [problem] = cartProblems([line({ quantity: 2 })], { p1: current });
    expect(problem?.kind).toBe(kind);
    expect(problem?.message).toMatch(message);
  });

  it('finds nothing when the catalog still agrees', () => {
    expect(cartProblems([line()], { p1: product() })).toEqual([]);
  });
});

describe('Cart: parseStoredCart', () => {
  it('keeps well-formed lines and drops the rest', () => {
    const text = JSON.stringify([line(), { productId: 'x', quantity: -1 }, 'junk']);
    expect(parseStoredCart(text)).toEqual([line()]);
  });

  it('treats unreadable storage as an empty cart', () => {
    expect(parseStoredCart('{not json')).toEqual([]);
    expect(parseStoredCart(null)).toEqual([]);
  });
});

describe('Cart: linesFromOrder (Try another card)', () => {
  const ordered = [
    { productId: 'p1', sku: 'MUG', name: 'Camp mug', unitPriceCents: 1500, quantity: 2 },
    { productId: 'p2', sku: 'POT', name: 'Teapot', unitPriceCents: 4000, quantity: 1 },
  ];

  it('puts the order’s lines back at today’s price, image and stock', () => {
    const { lines, problems } = linesFromOrder(ordered, 'USD', {
      p1: product(),
      p2: product({ id: 'p2', name: 'Teapot', priceCents: 4000, image: '/products/p2.png' }),
    });
    expect(lines.map((l) => [l.productId, l.quantity, l.priceCents, l.image])).toEqual([
      ['p1', 2, 1500, '/products/p1.svg'],
      ['p2', 1, 4000, '/products/p2.png'],
    ]);
    expect(problems).toEqual([]);
  });

  it('says what changed since the order: fewer left, a product no longer sold', () => {
    const { lines, problems } = linesFromOrder(ordered, 'USD', {
      p1: product({ stock: 1 }),
      p2: null,
    });
    expect(lines.map((l) => [l.productId, l.quantity, l.stock])).toEqual([
      ['p1', 1, 1],
      ['p2', 1, 0],
    ]);
    expect(problems.map((p) => p.kind)).toEqual(['short', 'gone']);
  });

  it('replaces the same products already in the cart, so restoring twice changes nothing', () => {
    const { lines } = linesFromOrder(ordered, 'USD', { p1: product(), p2: product({ id: 'p2' }) });
    const once = applyCartAction([line({ productId: 'p9' }), line({ quantity: 3 })], {
      type: 'restore',
      lines,
    });
    expect(applyCartAction(once, { type: 'restore', lines })).toEqual(once);
    expect(once.map((l) => [l.productId, l.quantity])).toEqual([
      ['p9', 1],
      ['p1', 2],
      ['p2', 1],
    ]);
  });
});
