import type { NextConfig } from 'next';
import { CATALOG_PARAMS } from './lib/catalog-query';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The shell (layout, header, hero, catalog and product pages) is prerendered; what waits for the
  // backend or the shopper streams into it (see lib/catalog-cache.ts).
  cacheComponents: true,
  // A link's prefetch takes the prerendered part of its page only, not a full dynamic render.
  partialPrefetching: true,
  cacheLife: {
    // Names, prices, photos, descriptions, and the stock the grids' badges show: an admin's edit or
    // the backend's revalidate call expires them on the server at once by tag; the hour bounds how
    // long a change nobody announced can go unseen. `stale` is how long a tab's router shows a
    // catalog page it already holds without asking again: a tab that saw the grid before an order
    // took the last unit showed "Only 1 left" for up to 5 minutes at 300. 30 s is the shortest
    // Next still prefetches and prerenders.
    catalog: { stale: 30, revalidate: 3600, expire: 86400 },
    // The backend's settings the header reads (the app client's id, whether the local mailbox
    // runs): fixed for a deployment, new after a local reset; a minute bounds how long the header
    // can show the old ones. Expiry over five minutes keeps them in the prerendered shell.
    backend: { stale: 300, revalidate: 60, expire: 3600 },
  },
  images: {
    // The shop's photos are 800 px squares: wider variants would only repeat the original, and
    // every width is another URL in each photo's srcset (ten of them made the catalog grid 26 KB).
    deviceSizes: [640, 828, 1200],
    imageSizes: [96, 256, 384],
  },
  async rewrites() {
    return {
      // The catalog's first view, with no search, category, sort or page, is the same for every
      // shopper: it is served prerendered from /products/all rather than rendered per request.
      // A parameter this does not name (a campaign tag) changes nothing the page shows.
      beforeFiles: [
        {
          source: '/products',
          missing: CATALOG_PARAMS.map((key) => ({ type: 'query' as const, key })),
          destination: '/products/all',
        },
      ],
    };
  },
  experimental: {
    // The 6 KB stylesheet goes into the document instead of blocking the first paint.
    inlineCss: true,
  },
};

export default nextConfig;
