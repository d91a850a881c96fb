import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LiveAddToCart, LiveStock, LiveStockBadge } from '@/components/catalog/live-stock';
import { ProductImage } from '@/components/catalog/product-image';
import { BackendMissing } from '@/components/ui/backend-missing';
import { IntentLink } from '@/components/ui/intent-link';
import { Price } from '@/components/ui/price';
import { cachedCatalog, cachedProduct } from '@/lib/catalog-cache';

type Params = Promise<{ id: string }>;

/**
 * Every product is prerendered when a backend answers during the build. Without one (CI builds
 * with none running) the route still needs one parameter to prerender its shell; that page then
 * renders its product at request time like any product added after the build.
 */
export async function generateStaticParams(): Promise<{ id: string }[]> {
  const catalog = await cachedCatalog();
  const ids = catalog.ok ? catalog.value.filter((p) => p.active).map((p) => ({ id: p.id })) : [];
  return ids.length > 0 ? ids : [{ id: 'prerendered-shell' }];
}

// From the cached product, so a prerendered page carries its description in the <head> for every
// browser, not only for the crawlers Next recognizes.
export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  const read = await cachedProduct(id);
  const product = read.ok ? read.value : null;
  if (!product) return { title: 'Product not found' };
  return {
    title: product.name,
    description: product.description.slice(0, 160),
    openGraph: product.image.startsWith('/') ? { images: [product.image] } : undefined,
  };
}

// Every product known at build time is prerendered whole: its photo (the largest paint), name,
// description and stock are part of the static document, not a Suspense boundary React would
// reveal from a script after a skeleton (see app/page.tsx). A product added after the build, or
// any product of a build made with no backend answering, renders at request time: `instant =
// false` allows that. The stock is read again in the browser (LiveStock), so a view costs the
// server a static file and a small read instead of a dynamic render.
export const instant = false;

export default function ProductPage({ params }: { params: Params }) {
  return <ProductDetails params={params} />;
}

/** Name, photo, price and description: cached, and expired by tag when the product changes. */
async function ProductDetails({ params }: { params: Params }) {
  const { id } = await params;
  const read = await cachedProduct(id);
  if (!read.ok) return <BackendMissing result={read.failure} />;
  const product = read.value;
  if (!product) notFound();
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      {/* Prefetched on intent: in view, each prefetched the catalog it leads to (a dynamic render
          for a category, with its first photo) while this page was starting up. */}
      <nav aria-label="Breadcrumb" className="mb-6 text-sm text-neutral-600">
        <ol className="flex gap-2">
          <li>
            <IntentLink href="/products" className="hover:text-ink">
              Shop
            </IntentLink>
          </li>
          <li aria-hidden="true">/</li>
          <li>
            <IntentLink
              href={`/products?category=${encodeURIComponent(product.category)}`}
              className="hover:text-ink"
            >
              {product.category}
            </IntentLink>
          </li>
        </ol>
      </nav>
      <div className="grid gap-10 lg:grid-cols-2">
        <div className="relative aspect-square overflow-hidden rounded-3xl border border-neutral-200 bg-neutral-50">
          <ProductImage
            src={product.image}
            alt={product.name}
            sizes="(min-width: 1024px) 50vw, 100vw"
            lcp
          />
        </div>
        <LiveStock product={product}>
          <div className="flex flex-col gap-6">
            <div>
              <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">{product.name}</h1>
              <p className="mt-1 text-sm text-neutral-600">SKU {product.sku}</p>
            </div>
            <div className="flex items-center gap-4">
              <Price
                cents={product.priceCents}
                currency={product.currency}
                className="text-2xl font-semibold"
              />
              <LiveStockBadge />
            </div>
            <p className="leading-relaxed text-neutral-700">{product.description}</p>
            <LiveAddToCart />
          </div>
        </LiveStock>
      </div>
    </div>
  );
}
