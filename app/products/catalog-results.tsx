import type { Metadata } from 'next';
import { CatalogControls, Pagination } from '@/components/catalog/catalog-controls';
import { ProductGrid } from '@/components/catalog/product-card';
import { BackendMissing } from '@/components/ui/backend-missing';
import { cachedCatalog } from '@/lib/catalog-cache';
import { queryCatalog, type CatalogParams } from '@/lib/catalog-query';

// One title and description for every search: metadata read from the query string would be
// streamed into the body with the results, and the description would miss the <head>.
export const catalogMetadata: Metadata = {
  title: 'Shop',
  description: 'Browse every product at Saga Supply: search, filter by category and sort.',
};

/** The catalog's heading, controls, result count, grid and pagination for one search. */
export async function CatalogResults({ params }: { params: CatalogParams }) {
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
