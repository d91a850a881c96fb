/** Who sells: printed on receipts and signed under emails. */
export interface ShopDetails {
  name: string;
  addressLines: string[];
  email: string;
  website: string;
}

export const SHOP_NAME = 'Saga Supply';

/** The shop's details, given the sender address and storefront URL the deployment configures. */
export const shopDetails = (email: string, website: string): ShopDetails => ({
  name: SHOP_NAME,
  addressLines: ['100 Market Street', 'San Francisco, CA 94105', 'United States'],
  email,
  website,
});

/** The page where a shopper follows an order: `${STOREFRONT_URL}/orders/<id>`. */
export const orderPageUrl = (storefrontUrl: string, orderId: string): string =>
  `${storefrontUrl.replace(/\/+$/, '')}/orders/${encodeURIComponent(orderId)}`;
