/**
 * An order's log lines for its story: every function whose lines carry an order id logs Powertools
 * JSON with `orderId` on each line (shared/observability.ts), so one CloudWatch Logs
 * FilterLogEvents per log group with `{ $.orderId = "<id>" }`, over the order's lifetime, finds
 * them; the groups' lines are merged in time order and capped.
 */
import {
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { isTerminal } from '../../domain/status';
import type { OrderStatus } from '../../domain/order';

/** Most lines a story shows; the earliest are kept, the story reads from the start. */
export const LOG_LINES_SHOWN = 200;
/** Pages read per group at most, so a story stays within the resolver's time whatever the logs hold. */
export const LOG_PAGES_PER_GROUP = 5;
/** Lines may come a little before the order's createdAt (clocks) and after its last change. */
const BEFORE_MS = 60_000;
const AFTER_MS = 5 * 60_000;

export interface OrderLogLine {
  at: string;
  /** The function's Amplify name (placeOrder, capturePayment ...). */
  functionName: string;
  level: string | null;
  message: string;
}
export interface LogGroupRef {
  functionName: string;
  logGroupName: string;
}
export interface LogWindow {
  from: Date;
  to: Date;
}
export interface OrderLogs {
  lines: OrderLogLine[];
  /** More lines matched than were read or shown. */
  truncated: boolean;
}

/** The one call the reading needs (a CloudWatchLogsClient, or a test double of it). */
export interface LogSearchClient {
  send(command: FilterLogEventsCommand): Promise<FilterLogEventsCommandOutput>;
}

/** ORDER_LOG_GROUPS (`placeOrder=<group>,capturePayment=<group>,...`) as pairs. */
export const parseLogGroups = (value: string): LogGroupRef[] =>
  value.split(',').map((pair) => {
    const at = pair.indexOf('=');
    return { functionName: pair.slice(0, at), logGroupName: pair.slice(at + 1) };
  });

/**
 * The time the order's lines can be in: from a minute before it was created to a few minutes after
 * its last status change once it is finished (its notifications come after), else until now.
 */
export function orderLogWindow(
  order: {
    createdAt: string;
    updatedAt?: string | null;
    status: OrderStatus;
    statusHistory: { at: string }[];
  },
  now: Date,
): LogWindow {
  const from = new Date(Date.parse(order.createdAt) - BEFORE_MS);
  const last = Math.max(
    ...[order.createdAt, order.updatedAt ?? '', ...order.statusHistory.map((h) => h.at)]
      .map((at) => Date.parse(at))
      .filter(Number.isFinite),
  );
  const to = isTerminal(order.status) ? new Date(Math.min(now.getTime(), last + AFTER_MS)) : now;
  return { from, to };
}

/** Order ids are generated (UUIDs); anything else never reaches a filter pattern. */
const ORDER_ID = /^[A-Za-z0-9_-]{1,128}$/;

export const orderFilterPattern = (orderId: string): string => {
  if (!ORDER_ID.test(orderId)) throw new Error(`INVALID_ORDER: ${orderId} is not an order id.`);
  return `{ $.orderId = "${orderId}" }`;
};

interface Found {
  timestamp: number;
  line: OrderLogLine;
}

/** One line as the story shows it: Powertools' level and message (and error), else the raw line. */
export function toLogLine(functionName: string, timestamp: number, raw: string): OrderLogLine {
  const at = new Date(timestamp).toISOString();
  let entry: unknown;
  try {
    entry = JSON.parse(raw);
  } catch {
    entry = undefined;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return { at, functionName, level: null, message: raw.trim().slice(0, 2000) };
  const fields = entry as Record<string, unknown>;
  const error = fields['error'] as { name?: unknown; message?: unknown } | undefined;
  const detail =
    error && typeof error === 'object'
      ? `: ${String(error.name ?? 'Error')}: ${String(error.message ?? '')}`
      : '';
  return {
    at,
    functionName,
    level: typeof fields['level'] === 'string' ? fields['level'] : null,
    message: `${String(fields['message'] ?? raw)}${detail}`.slice(0, 2000),
  };
}

async function searchGroup(
  client: LogSearchClient,
  group: LogGroupRef,
  filterPattern: string,
  window: LogWindow,
): Promise<{ found: Found[]; more: boolean }> {
  const found: Found[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  try {
    do {
      const page = await client.send(
        new FilterLogEventsCommand({
          logGroupName: group.logGroupName,
          filterPattern,
          startTime: window.from.getTime(),
          endTime: window.to.getTime(),
          limit: LOG_LINES_SHOWN,
          nextToken,
        }),
      );
      for (const event of page.events ?? []) {
        if (event.timestamp === undefined || event.message === undefined) continue;
        found.push({
          timestamp: event.timestamp,
          line: toLogLine(group.functionName, event.timestamp, event.message),
        });
      }
      nextToken = page.nextToken;
      pages++;
    } while (nextToken && found.length < LOG_LINES_SHOWN && pages < LOG_PAGES_PER_GROUP);
  } catch (error) {
    // A group nothing has written to yet holds no line of this order.
    if ((error as Error).name === 'ResourceNotFoundException') return { found, more: false };
    throw error;
  }
  return { found, more: nextToken !== undefined };
}

/** The order's lines from every group, in time order, the earliest LOG_LINES_SHOWN of them. */
export async function readOrderLogs(
  client: LogSearchClient,
  groups: readonly LogGroupRef[],
  orderId: string,
  window: LogWindow,
): Promise<OrderLogs> {
  const filterPattern = orderFilterPattern(orderId);
  const results = await Promise.all(
    groups.map((group) => searchGroup(client, group, filterPattern, window)),
  );
  // Sorted by time, a group's own lines keeping their order on equal timestamps.
  const merged = results.flatMap((r) => r.found).sort((a, b) => a.timestamp - b.timestamp);
  return {
    lines: merged.slice(0, LOG_LINES_SHOWN).map((f) => f.line),
    truncated: merged.length > LOG_LINES_SHOWN || results.some((r) => r.more),
  };
}
