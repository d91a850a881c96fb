import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { PageSkeleton } from '@/components/ui/skeletons';
import { BackendMissing } from '@/components/ui/backend-missing';
import { loadBackend } from '@/lib/amplify-config';
import { shownAt } from '@/lib/dates';
import { fetchMailbox, type MailMessage } from '@/lib/mailbox';
import { localEndpoints } from '@/lib/outputs';

export const metadata: Metadata = {
  title: 'Local mailbox',
  description: 'Every email the local backend sent.',
  robots: { index: false },
};

type SearchParams = Promise<{ to?: string | string[] }>;

/** Local mode only: the messages the offline backend's mailbox caught (codes, confirmations). */
export default function MailboxPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<PageSkeleton label="Loading the mailbox…" />}>
      <Mailbox searchParams={searchParams} />
    </Suspense>
  );
}

async function Mailbox({ searchParams }: { searchParams: SearchParams }) {
  const result = await loadBackend();
  if (!result.ok) return <BackendMissing result={result} />;
  const mailbox = localEndpoints(result.outputs)?.mailbox;
  if (!mailbox) notFound();
  const { to } = await searchParams;
  const filter = typeof to === 'string' ? to.trim().slice(0, 254) : '';
  let messages: MailMessage[] = [];
  let problem: string | null = null;
  try {
    messages = await fetchMailbox(mailbox, filter || undefined);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Local mailbox</h1>
      <p className="mt-2 text-neutral-700">
        Offline, no email leaves this machine: confirmation codes and order emails land here.
      </p>
      <form method="get" className="mt-6 flex flex-wrap items-end gap-3">
        <div className="flex-1">
          <label htmlFor="mailbox-to" className="mb-1 block text-sm font-medium">
            Recipient
          </label>
          <input
            id="mailbox-to"
            name="to"
            type="email"
            defaultValue={filter}
            placeholder="shopper@example.com"
            className="block w-full rounded-lg border border-neutral-300 px-3 py-2"
          />
        </div>
        <button
          type="submit"
          className="rounded-full border border-neutral-300 px-5 py-2.5 text-sm font-semibold hover:border-ink"
        >
          Filter
        </button>
      </form>
      {problem ? (
        <p role="alert" className="mt-6 rounded-xl bg-red-50 p-4 text-red-800">
          {problem}
        </p>
      ) : null}
      <p className="mt-6 text-sm text-neutral-600" role="status">
        {messages.length} {messages.length === 1 ? 'message' : 'messages'}
      </p>
      <ul className="mt-3 space-y-3">
        {messages.map((message) => (
          <li key={message.id} className="rounded-2xl border border-neutral-200 p-4">
            <details>
              <summary className="cursor-pointer">
                <span className="font-semibold">{message.subject || '(no subject)'}</span>
                <span className="block text-xs text-neutral-600">
                  To {message.to.join(', ')} · from {message.from.join(', ')}
                  {shownAt(message.receivedAt) && ` · ${shownAt(message.receivedAt)}`}
                </span>
              </summary>
              <pre className="mt-3 text-sm whitespace-pre-wrap">{message.text}</pre>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
