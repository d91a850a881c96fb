/**
 * When the operations page reads the dead letters. SQS has no peek: a read receives each message
 * and adds one to its receive count, which is how the page tells an operator how often the
 * consumer tried. So the page reads them when it opens, when the operator asks, and when the
 * queue's depth says something arrived or left, not on every refresh.
 */

/** The dead letters last read, with when and how many were waiting then. */
export interface DeadLetterView<Letter> {
  letters: Letter[];
  readAt: string;
  waitingAtRead: number;
}

interface OverviewLike<Letter> {
  generatedAt: string;
  queues: readonly { name: string; visible: number }[];
  deadLetters?: readonly Letter[] | null;
}

export const DEAD_LETTER_QUEUE = 'OrdersDeadLetterQueue';

/** How many messages wait in the dead-letter queue, by this overview (null: it does not say). */
export function deadLettersWaiting(overview: OverviewLike<unknown>): number | null {
  return overview.queues.find((queue) => queue.name === DEAD_LETTER_QUEUE)?.visible ?? null;
}

/** Whether the next refresh reads the letters: never read, or the depth moved since the read. */
export function readDeadLettersNext<Letter>(
  view: DeadLetterView<Letter> | null,
  waitingNow: number | null,
): boolean {
  return view === null || waitingNow === null || waitingNow !== view.waitingAtRead;
}

/** The letters to show after an overview: the ones it read, or the last ones read. */
export function deadLetterViewAfter<Letter>(
  view: DeadLetterView<Letter> | null,
  overview: OverviewLike<Letter>,
): DeadLetterView<Letter> | null {
  if (!overview.deadLetters) return view;
  return {
    letters: [...overview.deadLetters],
    readAt: overview.generatedAt,
    waitingAtRead: deadLettersWaiting(overview) ?? overview.deadLetters.length,
  };
}
