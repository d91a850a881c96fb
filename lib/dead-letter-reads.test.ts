import { describe, expect, it } from 'vitest';
import {
  deadLetterViewAfter,
  deadLettersWaiting,
  readDeadLettersNext,
  type DeadLetterView,
} from './dead-letter-reads';

const overview = (waiting: number, deadLetters: string[] | null, at = '2026-12-03T10:00:00Z') => ({
  generatedAt: at,
  queues: [
    { name: 'OrdersQueue', visible: 7 },
    { name: 'OrdersDeadLetterQueue', visible: waiting },
  ],
  deadLetters,
});

describe('when the operations page reads the dead letters', () => {
  it('reads them on the first refresh', () => {
    expect(readDeadLettersNext(null, 0)).toBe(true);
  });

  it('does not read them again while the queue holds as many as when they were read', () => {
    // Prepare
    const view = deadLetterViewAfter(null, overview(2, ['a', 'b']));
    // Act: five refreshes that did not read them
    let shown = view;
    for (let i = 0; i < 5; i++) {
      const read = overview(2, null, `2026-12-03T10:00:0${i + 1}Z`);
      expect(readDeadLettersNext(shown, deadLettersWaiting(read))).toBe(false);
      shown = deadLetterViewAfter(shown, read);
    }
    // Assess: the letters and the time they were read are still the first read's
    expect(shown).toEqual({
      letters: ['a', 'b'],
      readAt: '2026-12-03T10:00:00Z',
      waitingAtRead: 2,
    });
  });

  it('reads them again once one arrives or leaves (a redrive empties the queue)', () => {
    const view: DeadLetterView<string> = { letters: ['a'], readAt: 'x', waitingAtRead: 1 };
    expect(readDeadLettersNext(view, 2)).toBe(true);
    expect(readDeadLettersNext(view, 0)).toBe(true);
    expect(deadLetterViewAfter(view, overview(0, []))).toMatchObject({
      letters: [],
      waitingAtRead: 0,
    });
  });

  it('reads them when the overview does not say how many wait', () => {
    const view: DeadLetterView<string> = { letters: [], readAt: 'x', waitingAtRead: 0 };
    expect(deadLettersWaiting({ generatedAt: 'x', queues: [] })).toBeNull();
    expect(readDeadLettersNext(view, null)).toBe(true);
  });
});
