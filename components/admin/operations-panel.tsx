'use client';

import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { orderNumber } from '@/amplify/domain/order-number';
import type { StorefrontApiError } from '@/lib/api-errors';
import {
  deadLetterViewAfter,
  deadLettersWaiting,
  readDeadLettersNext,
  type DeadLetterView,
} from '@/lib/dead-letter-reads';
import {
  getOperationsOverview,
  getOrderStory,
  redriveDeadLetters,
  type OperationsOverview,
  type OrderStory,
} from '@/lib/operations-api';
import { STATUS_LABELS } from '@/lib/order-status';
import type { OrderStatus } from '@/lib/types';
import { OperatorsOnly } from './operators-only';
import { inputStyle, secondaryButton } from '../ui/button-styles';

/**
 * How often the page asks again. Polling, not a subscription: queue depth, the DLQ and executions
 * change in SQS and Step Functions, which send AppSync no event to subscribe to; one query every
 * few seconds while the tab is shown keeps every figure current at a few reads each time.
 */
export const REFRESH_MS = 5_000;

/** The operators' page: ADMINS only (from the token's cognito:groups; the API checks again). */
export function OperationsPanel() {
  return (
    <OperatorsOnly>
      <Operations />
    </OperatorsOnly>
  );
}

const time = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleTimeString('en-GB', { hour12: false }) : '—';
const seconds = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? 'running' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const statusLabel = (status: string) => STATUS_LABELS[status as OrderStatus] ?? status;

const card = 'rounded-2xl border border-neutral-200 bg-white p-4 sm:p-5';
const th = 'p-2 text-left text-xs font-semibold uppercase text-neutral-600';
const td = 'p-2 align-top';

type DeadLetter = NonNullable<OperationsOverview['deadLetters']>[number];

function Operations() {
  const [overview, setOverview] = useState<OperationsOverview | null>(null);
  const [letters, setLetters] = useState<DeadLetterView<DeadLetter> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [story, setStory] = useState<{ orderId: string; story: OrderStory | null } | null>(null);
  // What the next read needs to know without waiting for a render: the letters last read and
  // how many wait now.
  const last = useRef<{ letters: DeadLetterView<DeadLetter> | null; waiting: number | null }>({
    letters: null,
    waiting: null,
  });

  /** One overview; the dead letters too when asked (`readLetters`) or when the depth moved. */
  const read = useCallback(async (readLetters: boolean) => {
    const withDeadLetters =
      readLetters || readDeadLettersNext(last.current.letters, last.current.waiting);
    const fresh = await getOperationsOverview({ withDeadLetters });
    last.current = {
      letters: deadLetterViewAfter(last.current.letters, fresh),
      waiting: deadLettersWaiting(fresh),
    };
    return { read: fresh, letters: last.current.letters };
  }, []);

  const refresh = useCallback(async () => {
    try {
      const result = await read(true);
      setOverview(result.read);
      setLetters(result.letters);
      setError(null);
    } catch (thrown) {
      setError((thrown as StorefrontApiError).message);
    }
  }, [read]);

  useEffect(() => {
    let live = true;
    const load = () =>
      read(false).then(
        (result) => {
          if (!live) return;
          setOverview(result.read);
          setLetters(result.letters);
          setError(null);
        },
        (thrown: StorefrontApiError) => live && setError(thrown.message),
      );
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [read]);

  const showStory = useCallback(async (orderId: string) => {
    try {
      setStory({ orderId, story: await getOrderStory(orderId) });
    } catch (thrown) {
      setError((thrown as StorefrontApiError).message);
    }
  }, []);

  if (!overview && !error) return <p role="status">Loading operations…</p>;
  return (
    <div className="space-y-8">
      <p className="text-sm text-neutral-600" aria-live="off">
        Updates every {REFRESH_MS / 1000} seconds. Last read at{' '}
        <span>{time(overview?.generatedAt)}</span>.
      </p>
      {error ? (
        <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-800">
          {error}
        </p>
      ) : null}
      {overview ? (
        <>
          <div className="grid gap-6 lg:grid-cols-2">
            <OrderCounts overview={overview} />
            <Queues overview={overview} letters={letters} onRefresh={refresh} />
          </div>
          <Failures overview={overview} onStory={showStory} />
          <Executions overview={overview} onStory={showStory} />
        </>
      ) : null}
      <StoryFinder story={story} onStory={showStory} />
    </div>
  );
}

function OrderCounts({ overview }: { overview: OperationsOverview }) {
  return (
    <section aria-labelledby="counts-heading" className={card}>
      <h2 id="counts-heading" className="mb-3 text-lg font-semibold">
        Orders by status
      </h2>
      <table className="w-full text-sm">
        <caption className="sr-only">Orders placed in the last hour and day, by status</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={`${th} text-right`}>
              Last hour
            </th>
            <th scope="col" className={`${th} text-right`}>
              Last day
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {overview.counts.map((count) => (
            <tr key={count.status}>
              <th scope="row" className={`${td} text-left font-medium`}>
                {statusLabel(count.status)}
              </th>
              <td className={`${td} text-right tabular-nums`}>{count.lastHour}</td>
              <td className={`${td} text-right tabular-nums`}>{count.lastDay}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Queues({
  overview,
  letters,
  onRefresh,
}: {
  overview: OperationsOverview;
  letters: DeadLetterView<DeadLetter> | null;
  /** Reads everything again, the dead letters included. */
  onRefresh: () => Promise<void>;
}) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const running = overview.redrive?.status === 'RUNNING';
  const redrive = async () => {
    setBusy(true);
    try {
      const task = await redriveDeadLetters();
      setMessage(`Redrive started: ${task?.toMove ?? 0} message(s) going back to OrdersQueue.`);
      await onRefresh();
    } catch (thrown) {
      setMessage(`Redrive refused: ${(thrown as StorefrontApiError).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="queues-heading" className={card}>
      <h2 id="queues-heading" className="mb-3 text-lg font-semibold">
        Queues
      </h2>
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        {overview.queues.map((queue) => (
          <div key={queue.name} className="rounded-xl bg-neutral-50 p-3">
            <dt className="font-medium break-words">{queue.name}</dt>
            <dd>
              <span className="text-2xl font-semibold tabular-nums">{queue.visible}</span> waiting,{' '}
              <span className="tabular-nums">{queue.inFlight}</span> in flight
            </dd>
          </div>
        ))}
      </dl>
      <h3 className="mt-4 mb-2 font-semibold">Dead-letter messages</h3>
      {!letters || letters.letters.length === 0 ? (
        <p className="text-sm text-neutral-600">The dead-letter queue is empty.</p>
      ) : (
        <ul className="space-y-2 text-sm" aria-label="Dead-letter messages">
          {letters.letters.map((letter) => (
            <li key={letter.messageId} className="rounded-lg bg-amber-50 p-2">
              <code className="break-all">{letter.body}</code>
              <span className="block text-xs text-neutral-600">
                sent {time(letter.sentAt)}, received {letter.receiveCount} times
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs text-neutral-600">
        Read at {time(letters?.readAt)}. SQS has no peek: each read receives every dead letter once
        and adds one to its receive count, so they are read again only when the queue&apos;s depth
        changes or you ask.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button
          type="button"
          className={secondaryButton}
          disabled={busy || running || (deadLettersWaiting(overview) ?? 0) === 0}
          onClick={redrive}
        >
          Redrive
        </button>
        <button
          type="button"
          className={secondaryButton}
          disabled={busy}
          onClick={() => void onRefresh()}
        >
          Read the dead letters again
        </button>
        {overview.redrive ? (
          <span className="text-sm text-neutral-700">
            Last redrive {overview.redrive.status.toLowerCase()}: {overview.redrive.moved} of{' '}
            {overview.redrive.toMove} moved
            {overview.redrive.failureReason ? ` (${overview.redrive.failureReason})` : ''}
          </span>
        ) : null}
      </div>
      <p role="status" className="mt-2 text-sm font-medium text-brand-700">
        {message}
      </p>
    </section>
  );
}

function Failures({
  overview,
  onStory,
}: {
  overview: OperationsOverview;
  onStory: (orderId: string) => void;
}) {
  return (
    <section aria-labelledby="failures-heading" className={card}>
      <h2 id="failures-heading" className="mb-3 text-lg font-semibold">
        Latest failures
      </h2>
      {overview.failures.length === 0 ? (
        <p className="text-sm text-neutral-600">No order failed in the last day.</p>
      ) : (
        <ul className="divide-y divide-neutral-100 text-sm" aria-label="Latest failures">
          {overview.failures.map((failure) => (
            <li
              key={failure.orderId}
              className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2"
            >
              <span className="font-mono">#{orderNumber(failure.orderId)}</span>
              <span className="rounded bg-red-50 px-1.5 font-semibold text-red-800">
                {failure.failureCode}
              </span>
              <span className="min-w-0 basis-full sm:basis-0 sm:flex-1">
                {failure.failureReason}
              </span>
              <span className="text-neutral-600">{time(failure.at)}</span>
              <button
                type="button"
                className="font-semibold text-brand-700 underline"
                onClick={() => onStory(failure.orderId)}
              >
                Story of #{orderNumber(failure.orderId)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StepTable({ steps, label }: { steps: OrderStory['steps']; label: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[28rem] text-sm">
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>
              Step
            </th>
            <th scope="col" className={th}>
              Outcome
            </th>
            <th scope="col" className={`${th} text-right`}>
              Took
            </th>
            <th scope="col" className={`${th} text-right`}>
              Attempts
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {steps.map((step, index) => (
            <tr key={`${step.step}-${index}`}>
              <th scope="row" className={`${td} text-left font-medium`}>
                {step.step}
              </th>
              <td className={td}>
                {step.outcome.toLowerCase()}
                {step.error ? (
                  <span className="block text-xs text-red-800">{step.error}</span>
                ) : null}
              </td>
              <td className={`${td} text-right tabular-nums`}>{seconds(step.durationMs)}</td>
              <td className={`${td} text-right tabular-nums`}>{step.attempts}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Executions({
  overview,
  onStory,
}: {
  overview: OperationsOverview;
  onStory: (orderId: string) => void;
}) {
  return (
    <section aria-labelledby="executions-heading" className={card}>
      <h2 id="executions-heading" className="mb-3 text-lg font-semibold">
        Running and failed executions
      </h2>
      {overview.executions.length === 0 ? (
        <p className="text-sm text-neutral-600">No execution is running or failed.</p>
      ) : (
        <ul className="space-y-3">
          {overview.executions.map((execution) => (
            <li key={execution.executionArn}>
              <details className="rounded-xl bg-neutral-50 p-3">
                <summary className="cursor-pointer text-sm">
                  <span className="font-mono">#{orderNumber(execution.name)}</span>{' '}
                  <span className="font-semibold">{execution.status.toLowerCase()}</span>, started{' '}
                  {time(execution.startedAt)}
                  {execution.stoppedAt ? `, stopped ${time(execution.stoppedAt)}` : ''}
                </summary>
                <div className="mt-2">
                  <StepTable
                    steps={(execution.steps ?? []).filter((s) => s !== null)}
                    label={`Steps of execution ${execution.name}`}
                  />
                  <button
                    type="button"
                    className="mt-2 text-sm font-semibold text-brand-700 underline"
                    onClick={() => onStory(execution.name)}
                  >
                    Story of #{orderNumber(execution.name)}
                  </button>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StoryFinder({
  story,
  onStory,
}: {
  story: { orderId: string; story: OrderStory | null } | null;
  onStory: (orderId: string) => Promise<void>;
}) {
  const [orderId, setOrderId] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (orderId.trim()) void onStory(orderId.trim());
  };
  return (
    <section aria-labelledby="story-heading" className={card}>
      <h2 id="story-heading" className="mb-3 text-lg font-semibold">
        Order story
      </h2>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <label className="min-w-0 flex-1 text-sm font-medium">
          Order id
          <input
            className={`${inputStyle} mt-1 font-mono`}
            value={orderId}
            onChange={(e) => setOrderId(e.target.value)}
            autoComplete="off"
          />
        </label>
        <button type="submit" className={secondaryButton}>
          Show story
        </button>
      </form>
      {story ? (
        story.story ? (
          <Story story={story.story} />
        ) : (
          <p role="status" className="mt-3 text-sm">
            No order {story.orderId}.
          </p>
        )
      ) : null}
    </section>
  );
}

function Story({ story }: { story: OrderStory }) {
  return (
    <article aria-label={`Story of order ${orderNumber(story.orderId)}`} className="mt-4 space-y-4">
      <h3 className="font-semibold">
        Order <span className="font-mono">#{orderNumber(story.orderId)}</span>:{' '}
        {statusLabel(story.status)}
        {story.failureCode ? ` (${story.failureCode}: ${story.failureReason ?? ''})` : ''}
      </h3>
      <div>
        <h4 className="mb-1 text-sm font-semibold">Status history</h4>
        <ol className="space-y-1 text-sm" aria-label="Status history">
          {story.statusHistory
            .filter((h) => h !== null)
            .map((h, index) => (
              <li key={`${h.status}-${index}`}>
                <span className="tabular-nums text-neutral-600">{time(h.at)}</span>{' '}
                {statusLabel(h.status ?? '')}
                {h.note ? ` — ${h.note}` : ''}
              </li>
            ))}
        </ol>
      </div>
      {story.execution ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold">
            Execution {story.execution.status.toLowerCase()}
          </h4>
          <StepTable
            steps={story.steps.filter((s) => s !== null)}
            label={`Steps of order ${orderNumber(story.orderId)}`}
          />
        </div>
      ) : (
        <p className="text-sm text-neutral-600">No execution has started for this order yet.</p>
      )}
      <LogLines story={story} />
      {story.events.length > 0 ? (
        <details>
          <summary className="cursor-pointer text-sm font-semibold">
            Execution events ({story.events.length})
          </summary>
          <ol className="mt-2 space-y-1 font-mono text-xs">
            {story.events
              .filter((e) => e !== null)
              .map((e, index) => (
                <li key={index} className="break-words">
                  {time(e.at)} {e.type}
                  {e.step ? ` ${e.step}` : ''}
                  {e.detail ? ` — ${e.detail}` : ''}
                </li>
              ))}
          </ol>
        </details>
      ) : null}
    </article>
  );
}

const LEVEL_STYLES: Record<string, string> = {
  ERROR: 'bg-red-50 text-red-800',
  CRITICAL: 'bg-red-50 text-red-800',
  WARN: 'bg-amber-50 text-amber-900',
};

/** What the order's functions logged about it (CloudWatch Logs), oldest first. */
function LogLines({ story }: { story: OrderStory }) {
  const lines = story.logLines.filter((l) => l !== null);
  return (
    <div>
      <h4 className="mb-1 text-sm font-semibold">Log lines ({lines.length})</h4>
      {story.logError ? (
        <p className="text-sm text-red-800">Log lines could not be read: {story.logError}</p>
      ) : lines.length === 0 ? (
        <p className="text-sm text-neutral-600">
          No log lines for this order between {time(story.logsFrom)} and {time(story.logsTo)}.
        </p>
      ) : (
        <ol className="divide-y divide-neutral-100 text-sm" aria-label="Log lines">
          {lines.map((line, index) => (
            <li key={index} className="flex flex-wrap items-baseline gap-x-2 py-1">
              <time dateTime={line.at} className="tabular-nums text-neutral-600">
                {time(line.at)}.{String(new Date(line.at).getMilliseconds()).padStart(3, '0')}
              </time>
              <span className="font-medium">{line.functionName}</span>
              {line.level ? (
                <span
                  className={`rounded px-1.5 text-xs font-semibold ${LEVEL_STYLES[line.level] ?? 'bg-neutral-100'}`}
                >
                  {line.level}
                </span>
              ) : null}
              <span className="min-w-0 basis-full break-words sm:basis-0 sm:flex-1">
                {line.message}
              </span>
            </li>
          ))}
        </ol>
      )}
      {story.logLinesTruncated ? (
        <p className="mt-1 text-xs text-neutral-600">
          The first {lines.length} lines are shown; the order has more.
        </p>
      ) : null}
    </div>
  );
}
