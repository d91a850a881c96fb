import type * as OrderInput from '@/amplify/domain/order-input';
import type { CartLine, OrderLine, Product } from './types';

// The order limits, typed as the domain's own literal values: importing them from order-input
// would put zod (its validation) into every page's JavaScript, and a changed limit there fails the
// type check here instead of drifting.
export const MAX_LINES: typeof OrderInput.MAX_LINES = 50;
export const MAX_QUANTITY: typeof OrderInput.MAX_QUANTITY = 99;

export type CartAction =
  | { type: 'add'; line: CartLine }
  | { type: 'set'; productId: string; quantity: number }
  | { type: 'remove'; productId: string }
  | { type: 'refresh'; products: Record<string, Product | null> }
  | { type: 'restore'; lines: CartLine[] }
  | { type: 'clear' };

/** The most of a product one cart may hold: what is in stock, and never more than an order allows. */
export const maxQuantity = (stock: number): number => Math.max(0, Math.min(stock, MAX_QUANTITY));

const clamp = (quantity: number, stock: number) =>
  Math.max(0, Math.min(Math.floor(quantity), maxQuantity(stock)));

/** The cart after an action; quantities are capped by stock and lines at zero are dropped. */
export const applyCartAction = (lines: readonly CartLine[], action: CartAction): CartLine[] => {
  switch (action.type) {
    case 'add': {
      const existing = lines.find((line) => line.productId === action.line.productId);
      if (!existing) {
        if (lines.length >= MAX_LINES) return [...lines];
        const quantity = clamp(action.line.quantity, action.line.stock);
        return quantity > 0 ? [...lines, { ...action.line, quantity }] : [...lines];
      }
      return lines.map((line) =>
        line.productId === action.line.productId
          ? {
              ...line,
              ...action.line,
              quantity: clamp(line.quantity + action.line.quantity, action.line.stock),
            }
          : line,
      );
    }
    case 'set':
      return lines
        .map((line) =>
          line.productId === action.productId
            ? { ...line, quantity: clamp(action.quantity, line.stock) }
            : line,
        )
        .filter((line) => line.quantity > 0);
    case 'remove':
      return lines.filter((line) => line.productId !== action.productId);
    case 'refresh':
      // Lines whose product is gone or no longer sold are kept (at their quantity) so the cart can
      // say what happened; checkout refuses them until the shopper removes them.
      return lines.map((line) => {
        const product = action.products[line.productId];
        if (product === undefined) return line;
        if (product === null || !product.active) return { ...line, stock: 0 };
        return {
          ...line,
          name: product.name,
          priceCents: product.priceCents,
          currency: product.currency,
          image: product.image,
          stock: product.stock,
          quantity: product.stock > 0 ? clamp(line.quantity, product.stock) : line.quantity,
        };
      });
    case 'restore': {
      // The restored lines replace any of the same product: restoring twice changes nothing.
      const restored = new Set(action.lines.map((line) => line.productId));
      const kept = lines.filter((line) => !restored.has(line.productId));
      return [...kept, ...action.lines].slice(0, MAX_LINES);
    }
    case 'clear':
      return [];
  }
};

export interface CartProblem {
  productId: string;
  name: string;
  kind: 'gone' | 'sold-out' | 'short' | 'price-changed';
  message: string;
}

/** What stands between the cart and an order, given the catalog as it is now. */
export const cartProblems = (
  lines: readonly CartLine[],
  products: Record<string, Product | null>,
): CartProblem[] => {
  const problems: CartProblem[] = [];
  for (const line of lines) {
    const product = products[line.productId];
    if (product === undefined) continue;
    if (product === null || !product.active) {
      problems.push({
        productId: line.productId,
        name: line.name,
        kind: 'gone',
        message: `${line.name} is no longer sold. Please remove it from your cart.`,
      });
    } else if (product.stock <= 0) {
      problems.push({
        productId: line.productId,
        name: line.name,
        kind: 'sold-out',
        message: `${line.name} just sold out. Please remove it from your cart.`,
      });
    } else if (product.stock < line.quantity) {
      problems.push({
        productId: line.productId,
        name: line.name,
        kind: 'short',
        message: `Only ${product.stock} of ${line.name} left: your cart now holds ${product.stock}.`,
      });
    } else if (product.priceCents !== line.priceCents) {
      problems.push({
        productId: line.productId,
        name: line.name,
        kind: 'price-changed',
        message: `The price of ${line.name} changed; your cart shows the new price.`,
      });
    }
  }
  return problems;
};

/**
 * An order's lines back as cart lines, at the catalog's price and stock now: what "Try another
 * card" puts back in the cart. A product no longer sold keeps its line (stock 0) so the cart can
 * say so; the rest are capped by what is in stock.
 */
export const linesFromOrder = (
  orderLines: readonly OrderLine[],
  currency: string,
  products: Record<string, Product | null>,
): { lines: CartLine[]; problems: CartProblem[] } => {
  const asOrdered = orderLines.map((line): CartLine => ({
    productId: line.productId,
    quantity: line.quantity,
    name: line.name,
    priceCents: line.unitPriceCents,
    currency,
    image: products[line.productId]?.image ?? '',
    stock: line.quantity,
  }));
  return {
    lines: applyCartAction(asOrdered, { type: 'refresh', products }),
    problems: cartProblems(asOrdered, products),
  };
};

/** Parses what localStorage holds; anything malformed is dropped rather than trusted. */
export const parseStoredCart = (text: string | null): CartLine[] => {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (line): line is CartLine =>
        !!line &&
        typeof line === 'object' &&
        typeof line.productId === 'string' &&
        Number.isSafeInteger(line.quantity) &&
        line.quantity > 0 &&
        typeof line.name === 'string' &&
        Number.isSafeInteger(line.priceCents) &&
        typeof line.currency === 'string' &&
        typeof line.image === 'string' &&
        Number.isSafeInteger(line.stock),
    );
  } catch {
    return [];
  }
};

export const cartCount = (lines: readonly CartLine[]): number =>
  lines.reduce((sum, line) => sum + line.quantity, 0);
