import type { Metadata } from 'next';
import { CatalogControls, Pagination } from '@/components/catalog/catalog-controls';
import { ProductGrid } from '@/components/catalog/product-card';
import { BackendMissing } from '@/components/ui/backend-missing';
import { loadBackend } from '@/lib/amplify-config';
import { getCatalogPage } from '@/lib/catalog';
import { catalogParamsSchema } from '@/lib/catalog-query';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({
  searchParams,
}: {
  searchParams: SearchParams;
}): Promise<Metadata> {
  const params = catalogParamsSchema.parse(await searchParams);
  const title = params.q ? `Search: ${params.q}` : params.category || 'All products';
  return { title, description: `Browse ${params.category || 'all products'} at Saga Supply.` };
}

export default async function CatalogPage({ searchParams }: { searchParams: SearchParams }) {
  const params = catalogParamsSchema.parse(await searchParams);
  const result = await loadBackend();
  if (!result.ok) return <BackendMissing result={result} />;
  const page = await getCatalogPage(params);
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
        <ProductGrid products={page.products} label={heading} />
      </div>
      <Pagination params={params} page={page.page} pageCount={page.pageCount} />
    </div>
  );
}
