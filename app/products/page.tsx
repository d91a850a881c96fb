import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CatalogControls, Pagination } from '@/components/catalog/catalog-controls';
import { ProductGrid } from '@/components/catalog/product-card';
import { BackendMissing } from '@/components/ui/backend-missing';
import { PageSkeleton } from '@/components/ui/skeletons';
import { cachedCatalog } from '@/lib/catalog-cache';
import { catalogParamsSchema, queryCatalog } from '@/lib/catalog-query';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// One title and description for every search: metadata read from the query string would be
// streamed into the body with the results, and the description would miss the <head>.
export const metadata: Metadata = {
  title: 'Shop',
  description: 'Browse every product at Saga Supply: search, filter by category and sort.',
};

// The search, category and page come from the address, so the results stream into the prerendered
// shell; the catalog they are taken from is cached (lib/catalog-cache.ts).
export default function CatalogPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<PageSkeleton label="Loading products…" />}>
      <CatalogResults searchParams={searchParams} />
    </Suspense>
  );
}

async function CatalogResults({ searchParams }: { searchParams: SearchParams }) {
  const params = catalogParamsSchema.parse(await searchParams);
  const catalog = await cachedCatalog();
  if (!catalog.ok) return <BackendMissing result={catalog.failure} />;
  const page = queryCatalog(catalog.value, params);
  const heading = params.category || 'All products';
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">{heading}</h1>
      <div className="mt-6">
        <CatalogControls params={{ ...params, page: page.page }} categories={page.categories} />
      </div>
      <p className="mt-6 text-sm text-neutral-600" role="status">
        {page.total === 0
          ? 'No products match.'
          : `${page.total} ${page.total === 1 ? 'product' : 'products'}${params.q ? ` matching “${params.q}”` : ''}`}
      </p>
      <div className="mt-6">
        <ProductGrid products={page.products} label={heading} lcpFirst nameLevel={2} />
      </div>
      <Pagination params={params} page={page.page} pageCount={page.pageCount} />
    </div>
  );
}
