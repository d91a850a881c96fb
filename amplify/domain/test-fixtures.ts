import type { CatalogProduct, Order } from './order';

/** A stored order as the saga sees it, for tests; override what a test is about. */
export const anOrder = (overrides: Partial<Order> = {}): Order => ({
  id: '3f1c2b9a-1d2e-8f00-9abc-0123456789ab',
  owner: 'sub-1::shopper',
  email: 'ada@example.com',
  shippingAddress: {
    name: 'Ada Lovelace',
    line1: '1 Analytical Way',
    line2: null,
    city: 'London',
    region: null,
    postalCode: 'N1 9GU',
    country: 'GB',
  },
  lines: [
    { productId: 'p-mug', sku: 'MUG-1', name: 'Mug', unitPriceCents: 1250, quantity: 2 },
    { productId: 'p-tee', sku: 'TEE-1', name: 'T-shirt', unitPriceCents: 2000, quantity: 1 },
  ],
  subtotalCents: 4500,
  taxCents: 371,
  shippingCents: 599,
  totalCents: 5470,
  currency: 'usd',
  status: 'PENDING',
  statusHistory: [{ status: 'PENDING', at: '2030-01-02T03:04:05.000Z', note: null }],
  paymentMethodId: 'pm_card_visa',
  idempotencyKey: 'key-00000001',
  ...overrides,
});

/** A catalog of active products with stock, keyed by id. */
export const aCatalog = (...products: Partial<CatalogProduct>[]): Map<string, CatalogProduct> =>
  new Map(
    (products.length > 0
      ? products
      : [
          { id: 'p-mug', sku: 'MUG-1', name: 'Mug', priceCents: 1250 },
          { id: 'p-tee', sku: 'TEE-1', name: 'T-shirt', priceCents: 2000 },
        ]
    ).map((p, i) => {
      const product: CatalogProduct = {
        id: `p-${i}`,
        sku: `SKU-${i}`,
        name: `Product ${i}`,
        priceCents: 1000,
        currency: 'usd',
        stock: 10,
        active: true,
        ...p,
      };
      return [product.id, product];
    }),
  );
