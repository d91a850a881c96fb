/**
 * The log groups and their newest events, in memory: each group keeps at most `keepPerGroup`
 * events (the oldest dropped first), so a backend left running for days stays small. Lines are
 * kept in arrival order, which is time order (each is stamped when it arrives).
 */
import { compileFilterPattern } from './filter-pattern';

export interface LogEvent {
  /** Increasing per group: what a page token resumes after, even once older events are dropped. */
  seq: number;
  timestamp: number;
  ingestionTime: number;
  logStreamName: string;
  message: string;
}

export interface LogGroup {
  name: string;
  creationTime: number;
  events: LogEvent[];
  nextSeq: number;
}

export interface FilterQuery {
  logStreamNames?: readonly string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  limit: number;
  /** Resume after this event (from the previous page's token). */
  after?: number;
}

export interface FilterResult {
  events: LogEvent[];
  /** Where the next page starts, when this one stopped at its limit. */
  resumeAfter?: number;
}

/** The group a query names does not exist (ResourceNotFoundException). */
export class UnknownLogGroupError extends Error {
  constructor(readonly logGroupName: string) {
    super('The specified log group does not exist.');
    this.name = 'UnknownLogGroupError';
  }
}

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();

  constructor(
    private readonly keepPerGroup: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Declares a group (a function's log group from the templates); idempotent. */
  createGroup(name: string): LogGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, creationTime: this.now(), events: [], nextSeq: 1 };
      this.groups.set(name, group);
    }
    return group;
  }

  group(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group) throw new UnknownLogGroupError(name);
    return group;
  }

  list(): LogGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Appends one line as it arrives; a group Lambda writes to is created, as Lambda does. */
  put(groupName: string, logStreamName: string, message: string, at = this.now()): void {
    const group = this.createGroup(groupName);
    group.events.push({
      seq: group.nextSeq++,
      timestamp: at,
      ingestionTime: at,
      logStreamName,
      message,
    });
    // Dropped in chunks (the reads skip the surplus), so a full group does not shift its array on
    // every line.
    const slack = Math.max(1, Math.ceil(this.keepPerGroup / 10));
    if (group.events.length > this.keepPerGroup + slack)
      group.events.splice(0, group.events.length - this.keepPerGroup);
  }

  /** The events a group keeps, oldest first. */
  kept(group: LogGroup): LogEvent[] {
    return group.events.length > this.keepPerGroup
      ? group.events.slice(-this.keepPerGroup)
      : group.events;
  }

  /** Events of one group matching the query, oldest first, at most `limit` of them. */
  filter(groupName: string, query: FilterQuery): FilterResult {
    const group = this.group(groupName);
    const matches = compileFilterPattern(query.filterPattern);
    const streams = query.logStreamNames ? new Set(query.logStreamNames) : undefined;
    const found: LogEvent[] = [];
    for (const event of this.kept(group)) {
      if (query.after !== undefined && event.seq <= query.after) continue;
      if (query.startTime !== undefined && event.timestamp < query.startTime) continue;
      if (query.endTime !== undefined && event.timestamp > query.endTime) continue;
      if (streams && !streams.has(event.logStreamName)) continue;
      if (query.logStreamNamePrefix && !event.logStreamName.startsWith(query.logStreamNamePrefix))
        continue;
      if (!matches(event.message)) continue;
      if (found.length === query.limit) {
        const last = found[found.length - 1];
        return { events: found, ...(last ? { resumeAfter: last.seq } : {}) };
      }
      found.push(event);
    }
    return { events: found };
  }
}
