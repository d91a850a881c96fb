import Link from 'next/link';
import { ProductGrid } from '@/components/catalog/product-card';
import { BackendMissing } from '@/components/ui/backend-missing';
import { featuredProducts } from '@/lib/catalog';
import { cachedCatalog } from '@/lib/catalog-cache';

// Prerendered whole when a backend answers during the build: the grid is part of the static
// document, not a Suspense boundary. React writes a large finished boundary after its fallback and
// reveals it from a script (throttled to the next paint), which kept the first photo, the page's
// largest paint, hidden for 0.4-1.1 s. Built with no backend answering, the page renders whole at
// request time instead: `instant = false` allows that.
export const instant = false;

export default function HomePage() {
  return (
    <>
      <section className="bg-brand-900 text-white">
        <div className="mx-auto max-w-7xl px-4 py-16 sm:px-6 sm:py-24">
          <h1 className="max-w-2xl text-4xl font-bold tracking-tight sm:text-5xl">Saga Supply</h1>
          <p className="mt-4 max-w-xl text-lg text-brand-100">
            Goods for the workshop and the trail. Every order is tracked live, step by step, from
            payment to your door.
          </p>
          <Link
            href="/products"
            className="mt-8 inline-flex items-center rounded-full bg-white px-6 py-3 text-sm font-semibold text-ink transition hover:bg-brand-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white"
          >
            Shop all products
          </Link>
        </div>
      </section>
      <section aria-labelledby="featured-heading" className="mx-auto max-w-7xl px-4 py-12 sm:px-6">
        <div className="mb-6 flex items-baseline justify-between">
          <h2 id="featured-heading" className="text-2xl font-semibold tracking-tight">
            Featured
          </h2>
          <Link href="/products" className="text-sm font-semibold text-brand-700 hover:text-ink">
            See everything →
          </Link>
        </div>
        <Featured />
      </section>
    </>
  );
}

async function Featured() {
  const catalog = await cachedCatalog();
  if (!catalog.ok) return <BackendMissing result={catalog.failure} />;
  const products = featuredProducts(catalog.value, 8);
  if (products.length === 0) {
    return <p className="text-neutral-600">The shelves are empty right now. Check back soon.</p>;
  }
  return <ProductGrid products={products} label="Featured products" lcpFirst />;
}
