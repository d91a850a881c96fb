import Link from 'next/link';
import { catalogHref, type CatalogParams } from '@/lib/catalog-query';
import { inputStyle, secondaryButton } from '../ui/button-styles';
import { IntentLink } from '../ui/intent-link';

const SORT_LABELS = {
  featured: 'Featured',
  'price-asc': 'Price: low to high',
  'price-desc': 'Price: high to low',
  'name-asc': 'Name: A to Z',
  'name-desc': 'Name: Z to A',
} as const;

/** Search, category and sort as a plain GET form: it works before (and without) JavaScript. */
export function CatalogControls({
  params,
  categories,
}: {
  params: CatalogParams;
  categories: string[];
}) {
  return (
    <div className="space-y-4">
      {/* Keyed by the search it shows: Next keeps a visited catalog page mounted, so reaching
          another search by a link (a product's breadcrumb, a category) would otherwise keep what
          the shopper typed before in the box, beside results that ignore it. */}
      <form
        key={catalogHref(params, { page: params.page })}
        action="/products"
        method="get"
        role="search"
        className="flex flex-wrap items-end gap-3"
      >
        <div className="min-w-56 flex-1">
          <label htmlFor="catalog-q" className="mb-1 block text-sm font-medium">
            Search products
          </label>
          <input
            id="catalog-q"
            name="q"
            type="search"
            defaultValue={params.q}
            placeholder="Search by name"
            className={inputStyle}
          />
        </div>
        {params.category ? <input type="hidden" name="category" value={params.category} /> : null}
        <div>
          <label htmlFor="catalog-sort" className="mb-1 block text-sm font-medium">
            Sort by
          </label>
          <select id="catalog-sort" name="sort" defaultValue={params.sort} className={inputStyle}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={secondaryButton}>
          Apply
        </button>
      </form>
      <nav aria-label="Categories">
        <ul className="flex flex-wrap gap-2">
          {['', ...categories].map((category) => {
            const current = params.category === category;
            return (
              <li key={category || 'all'}>
                <IntentLink
                  href={catalogHref(params, { category })}
                  aria-current={current ? 'page' : undefined}
                  className={`inline-block rounded-full border px-4 py-1.5 text-sm font-medium transition ${
                    current
                      ? 'border-ink bg-ink text-white'
                      : 'border-neutral-300 text-neutral-700 hover:border-ink'
                  }`}
                >
                  {category || 'All'}
                </IntentLink>
              </li>
            );
          })}
        </ul>
      </nav>
    </div>
  );
}

/** Previous / next page links with the page position. */
export function Pagination({
  params,
  page,
  pageCount,
}: {
  params: CatalogParams;
  page: number;
  pageCount: number;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages" className="mt-10 flex items-center justify-center gap-4 text-sm">
      {page > 1 ? (
        <Link href={catalogHref(params, { page: page - 1 })} className={secondaryButton} rel="prev">
          Previous
        </Link>
      ) : (
        <span className={`${secondaryButton} opacity-50`} aria-disabled="true">
          Previous
        </span>
      )}
      <span aria-current="page">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link href={catalogHref(params, { page: page + 1 })} className={secondaryButton} rel="next">
          Next
        </Link>
      ) : (
        <span className={`${secondaryButton} opacity-50`} aria-disabled="true">
          Next
        </span>
      )}
    </nav>
  );
}
