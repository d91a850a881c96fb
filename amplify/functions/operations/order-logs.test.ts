import type {
  FilterLogEventsCommand,
  FilterLogEventsCommandOutput,
  FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import {
  LOG_LINES_SHOWN,
  LOG_PAGES_PER_GROUP,
  orderLogWindow,
  parseLogGroups,
  readOrderLogs,
  type LogSearchClient,
} from './order-logs';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const WINDOW = { from: new Date(T0 - 60_000), to: new Date(T0 + 600_000) };
const GROUPS = parseLogGroups(
  'placeOrder=/aws/lambda/placeOrder-A,capturePayment=amplify-data-capturePaymentloggroup-B',
);
const powertools = (message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level: 'INFO', message, orderId: 'o-1', ...extra });
const event = (timestamp: number, message: string): FilteredLogEvent => ({ timestamp, message });

/**
 * A FilterLogEvents double: each group's events, served `pageSize` at a time with a token, and
 * every request it was sent kept.
 */
function logsHolding(byGroup: Record<string, FilteredLogEvent[]>, pageSize = 1000) {
  const requests: FilterLogEventsCommand['input'][] = [];
  const client: LogSearchClient = {
    send: async (command) => {
      const input = command.input;
      requests.push(input);
      const group = input.logGroupName ?? '';
      if (!(group in byGroup))
        throw Object.assign(new Error('The specified log group does not exist.'), {
          name: 'ResourceNotFoundException',
        });
      const from = Number(input.nextToken ?? 0);
      const events = (byGroup[group] ?? []).slice(from, from + pageSize);
      const next = from + pageSize;
      return {
        events,
        ...(next < (byGroup[group] ?? []).length ? { nextToken: String(next) } : {}),
        $metadata: {},
      } satisfies FilterLogEventsCommandOutput;
    },
  };
  return { client, requests };
}

describe("reading an order's log lines", () => {
  it("asks each group for the order's lines, over the window, with a JSON filter pattern", async () => {
    // Prepare
    const { client, requests } = logsHolding({
      '/aws/lambda/placeOrder-A': [],
      'amplify-data-capturePaymentloggroup-B': [],
    });
    // Act
    await readOrderLogs(client, GROUPS, 'o-1', WINDOW);
    // Assess
    expect(requests).toEqual([
      expect.objectContaining({
        logGroupName: '/aws/lambda/placeOrder-A',
        filterPattern: '{ $.orderId = "o-1" }',
        startTime: T0 - 60_000,
        endTime: T0 + 600_000,
        limit: LOG_LINES_SHOWN,
      }),
      expect.objectContaining({ logGroupName: 'amplify-data-capturePaymentloggroup-B' }),
    ]);
  });

  it('merges the groups in time order and names each line by its function and level', async () => {
    // Prepare
    const { client } = logsHolding({
      '/aws/lambda/placeOrder-A': [event(T0 + 1, powertools('order placed'))],
      'amplify-data-capturePaymentloggroup-B': [
        event(T0, 'START RequestId: 1 Version: $LATEST'),
        event(
          T0 + 5,
          powertools('invocation failed', {
            level: 'ERROR',
            error: { name: 'PaymentDeclined', message: 'declined' },
          }),
        ),
      ],
    });
    // Act
    const { lines, truncated } = await readOrderLogs(client, GROUPS, 'o-1', WINDOW);
    // Assess
    expect(lines).toEqual([
      {
        at: new Date(T0).toISOString(),
        functionName: 'capturePayment',
        level: null,
        message: 'START RequestId: 1 Version: $LATEST',
      },
      {
        at: new Date(T0 + 1).toISOString(),
        functionName: 'placeOrder',
        level: 'INFO',
        message: 'order placed',
      },
      {
        at: new Date(T0 + 5).toISOString(),
        functionName: 'capturePayment',
        level: 'ERROR',
        message: 'invocation failed: PaymentDeclined: declined',
      },
    ]);
    expect(truncated).toBe(false);
  });

  it('follows nextToken, and stops at the cap with the story marked truncated', async () => {
    // Prepare: more lines than a story shows, served 50 a page.
    const many = Array.from({ length: LOG_LINES_SHOWN + 30 }, (_, n) =>
      event(T0 + n, powertools(`line ${n}`)),
    );
    const { client, requests } = logsHolding({ '/aws/lambda/placeOrder-A': many }, 50);
    // Act
    const { lines, truncated } = await readOrderLogs(client, GROUPS.slice(0, 1), 'o-1', WINDOW);
    // Assess
    expect(lines).toHaveLength(LOG_LINES_SHOWN);
    expect(lines[0]?.message).toBe('line 0');
    expect(lines.at(-1)?.message).toBe(`line ${LOG_LINES_SHOWN - 1}`);
    expect(truncated).toBe(true);
    expect(requests.map((r) => r.nextToken)).toEqual([undefined, '50', '100', '150']);
  });

  it('reads at most a few pages of a group however many empty pages AWS gives back', async () => {
    // Prepare: a group that answers empty pages with a token, as a search through much data does.
    const requests: unknown[] = [];
    const client: LogSearchClient = {
      send: async (command) => {
        requests.push(command.input);
        return { events: [], nextToken: 'more', $metadata: {} };
      },
    };
    // Act
    const { lines, truncated } = await readOrderLogs(client, GROUPS.slice(0, 1), 'o-1', WINDOW);
    // Assess
    expect(requests).toHaveLength(LOG_PAGES_PER_GROUP);
    expect(lines).toEqual([]);
    expect(truncated).toBe(true);
  });

  it('counts a group that does not exist yet as holding no line, and passes on other errors', async () => {
    const { client } = logsHolding({
      '/aws/lambda/placeOrder-A': [event(T0, powertools('order placed'))],
    });
    const { lines } = await readOrderLogs(client, GROUPS, 'o-1', WINDOW);
    expect(lines.map((l) => l.functionName)).toEqual(['placeOrder']);
    const denied: LogSearchClient = {
      send: () =>
        Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
    };
    await expect(readOrderLogs(denied, GROUPS, 'o-1', WINDOW)).rejects.toThrow('denied');
  });

  it('never puts anything but an order id into a filter pattern', async () => {
    const { client, requests } = logsHolding({});
    await expect(readOrderLogs(client, GROUPS, 'o-1" || $.level = "INFO', WINDOW)).rejects.toThrow(
      /INVALID_ORDER/,
    );
    expect(requests).toEqual([]);
  });
});

describe("an order's log window", () => {
  const NOW = new Date(T0 + 3_600_000);
  it('runs from a minute before it was placed to five minutes after it finished', () => {
    const window = orderLogWindow(
      {
        createdAt: new Date(T0).toISOString(),
        updatedAt: new Date(T0 + 30_000).toISOString(),
        status: 'COMPLETED',
        statusHistory: [{ at: new Date(T0 + 40_000).toISOString() }],
      },
      NOW,
    );
    expect(window).toEqual({ from: new Date(T0 - 60_000), to: new Date(T0 + 340_000) });
  });

  it('runs until now while the order is still moving', () => {
    const window = orderLogWindow(
      { createdAt: new Date(T0).toISOString(), status: 'PAYMENT_AUTHORIZED', statusHistory: [] },
      NOW,
    );
    expect(window.to).toEqual(NOW);
  });
});
