import Image from 'next/image';

/** A product photo through next/image; remote images are shown as they are (no optimizer config). */
export function ProductImage({
  src,
  alt,
  sizes,
  priority = false,
  className = '',
}: {
  src: string;
  alt: string;
  sizes: string;
  priority?: boolean;
  className?: string;
}) {
  if (!src) {
    return (
      <div
        role="img"
        aria-label={alt}
        className={`flex h-full w-full items-center justify-center bg-neutral-100 text-sm text-neutral-500 ${className}`}
      >
        No photo
      </div>
    );
  }
  return (
    <Image
      src={src}
      alt={alt}
      fill
      sizes={sizes}
      priority={priority}
      unoptimized={!src.startsWith('/')}
      className={`object-cover ${className}`}
    />
  );
}
