import type { Metadata } from 'next';
import { catalogParamsSchema } from '@/lib/catalog-query';
import { CatalogResults, catalogMetadata } from '../catalog-results';

export const metadata: Metadata = catalogMetadata;

const defaultView = catalogParamsSchema.parse({});

// What /products shows with no search, category, sort or page (next.config.ts rewrites it here):
// the first page of every product, prerendered whole with the catalog as the home grid is (see
// app/page.tsx), not waiting in the search results' request-time hole. The address bar keeps
// /products.
export const instant = false;

export default function AllProductsPage() {
  return <CatalogResults params={defaultView} />;
}
