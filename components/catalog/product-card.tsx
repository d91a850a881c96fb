import Link from 'next/link';
import type { Product } from '@/lib/types';
import { Price } from '../ui/price';
import { ProductImage } from './product-image';
import { StockBadge } from './stock-badge';

/** One product in a grid: photo, name, price, stock. */
export function ProductCard({
  product,
  priority = false,
}: {
  product: Product;
  priority?: boolean;
}) {
  return (
    <li className="group">
      <Link
        href={`/products/${encodeURIComponent(product.id)}`}
        className="block rounded-2xl focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-brand-500"
      >
        <div className="relative aspect-square overflow-hidden rounded-2xl border border-neutral-200 bg-neutral-50">
          <ProductImage
            src={product.image}
            alt={product.name}
            priority={priority}
            sizes="(min-width: 1024px) 25vw, (min-width: 640px) 33vw, 50vw"
            className="transition duration-300 group-hover:scale-105"
          />
        </div>
        <div className="mt-3 flex items-start justify-between gap-3">
          <div>
            <h3 className="text-sm font-semibold text-ink">{product.name}</h3>
            <p className="mt-0.5 text-xs text-neutral-600">{product.category}</p>
          </div>
          <Price
            cents={product.priceCents}
            currency={product.currency}
            className="text-sm font-semibold"
          />
        </div>
        <div className="mt-2">
          <StockBadge stock={product.stock} />
        </div>
      </Link>
    </li>
  );
}

/** A responsive grid of product cards. */
export function ProductGrid({ products, label }: { products: Product[]; label: string }) {
  return (
    <ul
      aria-label={label}
      className="grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 lg:grid-cols-4"
    >
      {products.map((product, index) => (
        <ProductCard key={product.id} product={product} priority={index < 4} />
      ))}
    </ul>
  );
}
