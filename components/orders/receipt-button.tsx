'use client';

import { useState } from 'react';
import type { StorefrontApiError } from '@/lib/api-errors';
import { getReceiptLink } from '@/lib/shopper-api';
import { secondaryButton } from '../ui/button-styles';

/** Asks for a fresh presigned link to the PDF receipt each time, then opens it. */
export function ReceiptButton({ orderId }: { orderId: string }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [message, setMessage] = useState('');
  const [pending, setPending] = useState(false);
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={`${secondaryButton} w-full`}
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setMessage('');
          try {
            const fresh = await getReceiptLink(orderId);
            setLink(fresh);
            window.open(fresh.url, '_blank', 'noopener');
          } catch (thrown) {
            setMessage((thrown as StorefrontApiError).message);
          } finally {
            setPending(false);
          }
        }}
      >
        {pending ? 'Preparing receipt…' : 'Download receipt (PDF)'}
      </button>
      <div role="status" aria-live="polite" className="text-xs text-neutral-600">
        {link ? (
          <a href={link.url} target="_blank" rel="noopener" className="underline">
            Open your receipt
          </a>
        ) : null}
        {link
          ? ` (link valid until ${new Date(link.expiresAt).toLocaleTimeString('en-US')})`
          : null}
        {message ? <span className="text-red-700">{message}</span> : null}
      </div>
    </div>
  );
}
