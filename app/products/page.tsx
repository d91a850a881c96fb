import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageSkeleton } from '@/components/ui/skeletons';
import { catalogParamsSchema } from '@/lib/catalog-query';
import { CatalogResults, catalogMetadata } from './catalog-results';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export const metadata: Metadata = catalogMetadata;

// A search, a category, a sort or a page other than the first: the results come from the address,
// so they stream into the prerendered shell (the catalog they are taken from is cached,
// lib/catalog-cache.ts). /products with none of those is served by ./all, prerendered whole.
export default function CatalogPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<PageSkeleton label="Loading products…" />}>
      <SearchedCatalog searchParams={searchParams} />
    </Suspense>
  );
}

async function SearchedCatalog({ searchParams }: { searchParams: SearchParams }) {
  return <CatalogResults params={catalogParamsSchema.parse(await searchParams)} />;
}
