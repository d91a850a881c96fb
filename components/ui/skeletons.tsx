/** What a part of a page shows while its data is on the way: a quiet shape with a spoken status. */
export function GridSkeleton({ count = 8, label = 'Loading products…' }) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">{label}</span>
      <div className="grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 lg:grid-cols-4">
        {Array.from({ length: count }, (_, i) => (
          <div key={i} className="aspect-square animate-pulse rounded-2xl bg-neutral-100" />
        ))}
      </div>
    </div>
  );
}

/** A page-sized wait: a heading's shape and a grid. */
export function PageSkeleton({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <div className="h-8 w-56 animate-pulse rounded bg-neutral-200" />
      <div className="mt-8">
        <GridSkeleton label={label} />
      </div>
    </div>
  );
}
