import { getImageProps } from 'next/image';
import { preload } from 'react-dom';

/**
 * A product photo as a plain <img> with next/image's sizes and srcset (getImageProps), rendered on
 * the server: the client next/image component would only add its own chunk. Remote images are
 * shown as they are (no optimizer config).
 *
 * `lcp` marks the one photo that is the page's largest paint: it alone is preloaded, fetched at
 * high priority and never lazy; every other photo waits until it nears the viewport.
 */
export function ProductImage({
  src,
  alt,
  sizes,
  lcp = false,
  className = '',
}: {
  src: string;
  alt: string;
  sizes: string;
  lcp?: boolean;
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
  const { props } = getImageProps({
    src,
    alt,
    fill: true,
    sizes,
    unoptimized: !src.startsWith('/'),
    loading: lcp ? 'eager' : 'lazy',
    fetchPriority: lcp ? 'high' : 'auto',
    className: `object-cover ${className}`,
  });
  if (lcp) {
    preload(props.src, {
      as: 'image',
      fetchPriority: 'high',
      imageSrcSet: props.srcSet,
      imageSizes: props.sizes,
    });
  }
  // eslint-disable-next-line @next/next/no-img-element -- getImageProps gives next/image's markup
  return <img {...props} alt={alt} />;
}
