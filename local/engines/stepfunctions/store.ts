import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  timestamp: number;
  type: string;
  details?: Record<string, unknown>;
}

/** Where a running execution stands: the state it entered, its raw input, and its result once done. */
export interface ExecutionPosition {
  state: string;
  input: unknown;
  /** The task's own result once it returned, so a resume replays it instead of running it again. */
  result?: { value: unknown };
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The execution input as the client sent it (a JSON string). */
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  position?: ExecutionPosition;
  /** How many times this execution was resumed after the engine stopped. */
  resumes: number;
  history: HistoryEvent[];
}

/**
 * Executions on disk, two files each: the record without its history (small, rewritten atomically
 * by write-then-rename on every transition) and the history as JSON lines, appended. Rewriting the
 * whole history on every transition made each save cost as much as the execution was long.
 *
 * The history is appended before the head is replaced, so after a crash the log may hold events
 * the head has not caught up with, never the other way round; a torn last line is dropped.
 */
export class ExecutionStore {
  private readonly dir: string;
  private readonly records = new Map<string, ExecutionRecord>();
  /** How many history events of each execution are already in its log. */
  private readonly logged = new Map<string, number>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'executions');
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      const record = readJson<ExecutionRecord>(join(this.dir, file));
      // A torn temp file never replaces a good head (rename is atomic), so skipping is safe.
      if (!record) continue;
      const { log } = this.filesOf(record.executionArn);
      const history = readHistory(log);
      // Records written before the history moved to its own log carry it inline.
      if (history.length > 0 || !Array.isArray(record.history)) record.history = history;
      this.records.set(record.executionArn, record);
      this.logged.set(record.executionArn, history.length);
    }
  }

  private filesOf(arn: string): { head: string; log: string } {
    const base = join(this.dir, createHash('sha1').update(arn).digest('hex'));
    return { head: `${base}.json`, log: `${base}.history.jsonl` };
  }

  get(arn: string): ExecutionRecord | undefined {
    return this.records.get(arn);
  }

  all(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  save(record: ExecutionRecord): void {
    this.records.set(record.executionArn, record);
    const { head, log } = this.filesOf(record.executionArn);
    const logged = this.logged.get(record.executionArn) ?? 0;
    const fresh = record.history.slice(logged);
    if (fresh.length > 0) {
      appendFileSync(log, fresh.map((event) => `${JSON.stringify(event)}\n`).join(''));
      this.logged.set(record.executionArn, record.history.length);
    }
    const tmp = `${head}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...record, history: [] }));
    renameSync(tmp, head);
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function readHistory(file: string): HistoryEvent[] {
  if (!existsSync(file)) return [];
  const events: HistoryEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch {
      // Only the last line can be torn (a crash mid-append); what came before it stands.
    }
  }
  return events;
}
