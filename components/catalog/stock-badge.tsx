/** In stock, a few left, or sold out, in words and not only by color. */
export function StockBadge({ stock }: { stock: number }) {
  if (stock <= 0) {
    return (
      <span className="rounded-full bg-neutral-200 px-2.5 py-0.5 text-xs font-semibold text-neutral-800">
        Sold out
      </span>
    );
  }
  if (stock <= 5) {
    return (
      <span className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900">
        Only {stock} left
      </span>
    );
  }
  return (
    <span className="rounded-full bg-brand-50 px-2.5 py-0.5 text-xs font-semibold text-brand-700">
      In stock
    </span>
  );
}
