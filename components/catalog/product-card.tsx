import type { Product } from '@/lib/types';
import { IntentLink } from '../ui/intent-link';
import { Price } from '../ui/price';
import { ProductImage } from './product-image';
import { StockBadge } from './stock-badge';

/** One product in a grid: photo, name, price, stock. */
export function ProductCard({
  product,
  lcp = false,
  nameLevel = 3,
}: {
  product: Product;
  lcp?: boolean;
  nameLevel?: 2 | 3;
}) {
  const Name = nameLevel === 2 ? 'h2' : 'h3';
  return (
    <li className="group">
      <IntentLink
        href={`/products/${encodeURIComponent(product.id)}`}
        className="block rounded-2xl focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-brand-500"
      >
        <div className="relative aspect-square overflow-hidden rounded-2xl border border-neutral-200 bg-neutral-50">
          <ProductImage
            src={product.image}
            alt={product.name}
            lcp={lcp}
            sizes="(min-width: 1024px) 25vw, (min-width: 640px) 33vw, 50vw"
            className="transition duration-300 group-hover:scale-105"
          />
        </div>
        <div className="mt-3 flex items-start justify-between gap-3">
          <div>
            <Name className="text-sm font-semibold text-ink">{product.name}</Name>
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
      </IntentLink>
    </li>
  );
}

/**
 * A responsive grid of product cards. `lcpFirst`: the first photo is the page's largest paint
 * (nothing larger sits above the grid), so it alone is fetched first. `nameLevel`: the heading
 * level of each product's name, one below the heading the grid sits under (headings that skip a
 * level lose screen-reader users their place; Lighthouse's heading-order audit).
 */
export function ProductGrid({
  products,
  label,
  lcpFirst = false,
  nameLevel = 3,
}: {
  products: Product[];
  label: string;
  lcpFirst?: boolean;
  nameLevel?: 2 | 3;
}) {
  return (
    <ul
      aria-label={label}
      className="grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 lg:grid-cols-4"
    >
      {products.map((product, index) => (
        <ProductCard
          key={product.id}
          product={product}
          lcp={lcpFirst && index === 0}
          nameLevel={nameLevel}
        />
      ))}
    </ul>
  );
}
