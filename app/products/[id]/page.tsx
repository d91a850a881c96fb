import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AddToCart } from '@/components/cart/add-to-cart';
import { ProductImage } from '@/components/catalog/product-image';
import { StockBadge } from '@/components/catalog/stock-badge';
import { BackendMissing } from '@/components/ui/backend-missing';
import { Price } from '@/components/ui/price';
import { loadBackend } from '@/lib/amplify-config';
import { getProduct } from '@/lib/catalog';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  const result = await loadBackend();
  const product = result.ok ? await getProduct(id).catch(() => null) : null;
  if (!product) return { title: 'Product not found' };
  return {
    title: product.name,
    description: product.description.slice(0, 160),
    openGraph: product.image.startsWith('/') ? { images: [product.image] } : undefined,
  };
}

export default async function ProductPage({ params }: { params: Params }) {
  const { id } = await params;
  const result = await loadBackend();
  if (!result.ok) return <BackendMissing result={result} />;
  const product = await getProduct(id);
  if (!product) notFound();
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <nav aria-label="Breadcrumb" className="mb-6 text-sm text-neutral-600">
        <ol className="flex gap-2">
          <li>
            <Link href="/products" className="hover:text-ink">
              Shop
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li>
            <Link
              href={`/products?category=${encodeURIComponent(product.category)}`}
              className="hover:text-ink"
            >
              {product.category}
            </Link>
          </li>
        </ol>
      </nav>
      <div className="grid gap-10 lg:grid-cols-2">
        <div className="relative aspect-square overflow-hidden rounded-3xl border border-neutral-200 bg-neutral-50">
          <ProductImage
            src={product.image}
            alt={product.name}
            sizes="(min-width: 1024px) 50vw, 100vw"
            priority
          />
        </div>
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
            <StockBadge stock={product.active ? product.stock : 0} />
          </div>
          <p className="leading-relaxed text-neutral-700">{product.description}</p>
          <AddToCart product={product} />
        </div>
      </div>
    </div>
  );
}
