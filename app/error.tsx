'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { primaryButton, secondaryButton } from '@/components/ui/button-styles';

/** A page that failed to render: say so plainly, offer a retry. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="mx-auto max-w-2xl px-4 py-16 text-center" role="alert">
      <h1 className="text-3xl font-bold tracking-tight">Something went wrong</h1>
      <p className="mt-4 text-neutral-700">
        We could not load this page. {error.message ? `(${error.message})` : ''}
      </p>
      {error.digest ? (
        <p className="mt-2 text-xs text-neutral-500">Reference: {error.digest}</p>
      ) : null}
      <div className="mt-8 flex justify-center gap-3">
        <button type="button" onClick={reset} className={primaryButton}>
          Try again
        </button>
        <Link href="/" className={secondaryButton}>
          Home
        </Link>
      </div>
    </div>
  );
}
