import { describe, expect, it } from 'vitest';
import { LogStore, UnknownLogGroupError } from './store';
import { PageTokenError, decodeToken, encodeToken } from './tokens';

const GROUP = '/aws/lambda/capturePayment-ABC';
const line = (orderId: string, n: number) =>
  JSON.stringify({ level: 'INFO', message: `line ${n}`, orderId });

/** A store with `count` lines in GROUP, one per millisecond from t=1000, alternating two orders. */
function storeWith(count: number, keep = 1000): LogStore {
  const store = new LogStore(keep, () => 0);
  store.createGroup(GROUP);
  for (let n = 0; n < count; n++) store.put(GROUP, 's1', line(n % 2 ? 'odd' : 'even', n), 1000 + n);
  return store;
}
const messagesOf = (events: { message: string }[]) =>
  events.map((e) => (JSON.parse(e.message) as { message: string }).message);

describe('Local CloudWatch Logs store: filtering and paging', () => {
  it('returns the matching lines of one order within the time window, oldest first', () => {
    // Prepare
    const store = storeWith(10);
    // Act
    const found = store.filter(GROUP, {
      filterPattern: '{ $.orderId = "odd" }',
      startTime: 1002,
      endTime: 1007,
      limit: 100,
    });
    // Assess
    expect(messagesOf(found.events)).toEqual(['line 3', 'line 5', 'line 7']);
    expect(found.resumeAfter).toBeUndefined();
  });

  it('pages by limit and resumes exactly after the last line given, none twice or lost', () => {
    // Prepare
    const store = storeWith(25);
    const seen: string[] = [];
    let after: number | undefined;
    let pages = 0;
    // Act
    do {
      const page = store.filter(GROUP, { limit: 10, ...(after !== undefined ? { after } : {}) });
      seen.push(...messagesOf(page.events));
      after = page.resumeAfter;
      pages++;
    } while (after !== undefined);
    // Assess
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, n) => `line ${n}`));
  });

  it('gives no token when the last page is exactly full', () => {
    const page = storeWith(10).filter(GROUP, { limit: 10 });
    expect(page.events).toHaveLength(10);
    expect(page.resumeAfter).toBeUndefined();
  });

  it('keeps only the newest N lines of a group', () => {
    // Prepare
    const store = storeWith(500, 100);
    // Act
    const all = store.filter(GROUP, { limit: 10_000 });
    // Assess
    expect(all.events).toHaveLength(100);
    expect(messagesOf(all.events)[0]).toBe('line 400');
    expect(messagesOf(all.events).at(-1)).toBe('line 499');
    expect(store.group(GROUP).events.length).toBeLessThanOrEqual(110);
  });

  it('filters by stream name or prefix', () => {
    const store = storeWith(2);
    store.put(GROUP, 'other-stream', line('even', 99), 1100);
    expect(
      store.filter(GROUP, { logStreamNames: ['other-stream'], limit: 10 }).events,
    ).toHaveLength(1);
    expect(store.filter(GROUP, { logStreamNamePrefix: 's', limit: 10 }).events).toHaveLength(2);
  });

  it('names an unknown group', () => {
    expect(() => storeWith(1).filter('/aws/lambda/nope', { limit: 1 })).toThrow(
      UnknownLogGroupError,
    );
  });
});

describe('Local CloudWatch Logs page tokens', () => {
  it('resume only the query they were given for', () => {
    const token = encodeToken(GROUP, 7);
    expect(decodeToken(token, GROUP)).toBe(7);
    expect(() => decodeToken(token, '/aws/lambda/other')).toThrow(PageTokenError);
    expect(() => decodeToken('not-a-token', GROUP)).toThrow(PageTokenError);
    expect(() => decodeToken(encodeToken(GROUP, -1), GROUP)).toThrow(PageTokenError);
  });
});
