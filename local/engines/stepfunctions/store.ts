import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, Snapshot } from '../kit/journal';

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

interface ExecutionFiles {
  head: Snapshot<ExecutionRecord>;
  log: Journal<HistoryEvent>;
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
  /** Each execution's files; its history log holds as many events as the journal's length. */
  private readonly files = new Map<string, ExecutionFiles>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'executions');
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      const record = new Snapshot<ExecutionRecord>(this.dir, file).read();
      // A torn temp file never replaces a good head (rename is atomic), so skipping is safe.
      if (!record) continue;
      const { log } = this.filesOf(record.executionArn);
      const history = log.read();
      // Records written before the history moved to its own log carry it inline.
      if (history.length > 0 || !Array.isArray(record.history)) record.history = history;
      this.records.set(record.executionArn, record);
    }
  }

  private filesOf(arn: string): ExecutionFiles {
    let files = this.files.get(arn);
    if (!files) {
      const base = createHash('sha1').update(arn).digest('hex');
      files = {
        head: new Snapshot<ExecutionRecord>(this.dir, `${base}.json`),
        log: new Journal<HistoryEvent>(this.dir, `${base}.history.jsonl`),
      };
      this.files.set(arn, files);
    }
    return files;
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
    log.appendAll(record.history.slice(log.length));
    head.save({ ...record, history: [] });
  }
}
