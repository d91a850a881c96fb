/**
 * The storefront URL the local backend puts in email links, for a storefront served on `port`:
 * an explicit LOCAL_STOREFRONT_URL or STOREFRONT_URL (a LAN name, a tunnel) wins, else localhost.
 */
export const localStorefrontUrl = (env: Record<string, string | undefined>, port: string): string =>
  env['LOCAL_STOREFRONT_URL'] || env['STOREFRONT_URL'] || `http://localhost:${port}`;
