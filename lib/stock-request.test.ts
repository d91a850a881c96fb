import { describe, expect, it, vi } from 'vitest';
import { readProductStock, stockPath } from './product-stock';
import { answerStockRequest } from './stock-request';
import type { Product } from './types';

const compass: Product = {
  id: 'prod-field-compass',
  sku: 'OUT-COMPASS',
  name: 'Field Compass',
  description: 'Liquid-filled.',
  priceCents: 3400,
  currency: 'USD',
  image: '/products/compass.jpg',
  stock: 4,
  active: true,
  category: 'Outdoors',
};

describe('answerStockRequest', () => {
  it('answers the stock the backend has now', async () => {
    const read = vi.fn(async () => compass);
    const answer = await answerStockRequest(compass.id, read);
    expect(answer).toEqual({
      status: 200,
      body: { productId: compass.id, stock: 4, active: true },
    });
    expect(read).toHaveBeenCalledWith(compass.id);
  });

  it('says a product no longer sold has none to sell, whatever its count', async () => {
    const answer = await answerStockRequest(compass.id, async () => ({
      ...compass,
      active: false,
    }));
    expect(answer.body).toEqual({ productId: compass.id, stock: 0, active: false });
  });

  it('answers 404 for a product that does not exist', async () => {
    expect(await answerStockRequest('prod-none', async () => null)).toMatchObject({ status: 404 });
  });

  it.each([
    ['an empty id', ''],
    ['a path', '../../etc/passwd'],
    ['a GraphQL fragment', '") { id } x: getProduct(id: "y'],
    ['129 characters', 'a'.repeat(129)],
    ['a space', 'prod compass'],
    ['a control character', 'prod\u0000'],
  ])('refuses %s with 400 and reads nothing', async (_what, id) => {
    const read = vi.fn(async () => compass);
    expect(await answerStockRequest(id, read)).toMatchObject({ status: 400 });
    expect(read).not.toHaveBeenCalled();
  });

  it('answers 503 with no backend, and 502 for a failed read, without saying why', async () => {
    const noBackend = Object.assign(new Error('/home/shop/amplify_outputs.json missing'), {
      name: 'BackendUnavailableError',
    });
    const down = await answerStockRequest(compass.id, () => Promise.reject(noBackend));
    expect(down).toMatchObject({ status: 503 });
    expect(JSON.stringify(down.body)).not.toContain('/home/shop');

    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failed = await answerStockRequest(compass.id, () =>
      Promise.reject(new Error('GraphQL error at http://127.0.0.1:4902')),
    );
    expect(failed).toMatchObject({ status: 502 });
    expect(JSON.stringify(failed.body)).not.toContain('127.0.0.1');
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
  });
});

describe('readProductStock', () => {
  it('takes an answer for the product asked about', () => {
    const body = { productId: compass.id, stock: 3, active: true };
    expect(readProductStock(body, compass.id)).toEqual(body);
  });

  it.each([
    ['another product', { productId: 'prod-other', stock: 3, active: true }],
    ['a negative stock', { productId: compass.id, stock: -1, active: true }],
    ['a fraction', { productId: compass.id, stock: 1.5, active: true }],
    ['a string stock', { productId: compass.id, stock: '3', active: true }],
    ['no active flag', { productId: compass.id, stock: 3 }],
    ['an error body', { error: 'no such product' }],
    ['null', null],
    ['a number', 3],
  ])('ignores %s', (_what, body) => {
    expect(readProductStock(body, compass.id)).toBeNull();
  });
});

describe('stockPath', () => {
  it('keeps an id inside its path segment', () => {
    expect(stockPath('a/b?c')).toBe('/api/products/a%2Fb%3Fc/stock');
  });
});
