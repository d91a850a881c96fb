import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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
 *
 * Writes are batched and asynchronous: `save` marks the execution and the disk catches up within
 * `flushDelayMs`, every execution changed meanwhile in one pass that never holds the event loop.
 * What a crash may lose: the transitions of the last flush window. The execution then resumes from
 * an earlier state and runs again the steps whose results were not yet on disk; every saga step is
 * idempotent, so that changes nothing twice. What it never loses: what a client was told, since
 * StartExecution and StopExecution answer only after `saveDurably`.
 *
 * Finished executions past `keepFinished` are forgotten, oldest first, files and all.
 */
export class ExecutionStore {
  private readonly dir: string;
  private readonly records = new Map<string, ExecutionRecord>();
  /** Each execution's files; its history log holds as many events as the journal's length. */
  private readonly files = new Map<string, ExecutionFiles>();
  private readonly dirty = new Set<string>();
  /** The flush in progress (or the last one): flushes run one after another, never overlapping. */
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly flushDelayMs: number;
  private readonly keepFinished: number;

  constructor(dataDir: string, options: { flushDelayMs?: number; keepFinished?: number } = {}) {
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.keepFinished = options.keepFinished ?? 1000;
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

  /** Keeps the record; it reaches the disk with the next flush (within flushDelayMs). */
  save(record: ExecutionRecord): void {
    this.records.set(record.executionArn, record);
    this.dirty.add(record.executionArn);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.flushDelayMs);
  }

  /** Keeps the record and resolves once it (and everything saved before it) is on disk. */
  saveDurably(record: ExecutionRecord): Promise<void> {
    this.save(record);
    return this.flush();
  }

  /** Writes every execution saved so far; resolves once they are on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const done = this.flushing.then(() => this.writeDirty());
    this.flushing = done.catch(() => undefined);
    return done;
  }

  private async writeDirty(): Promise<void> {
    const arns = [...this.dirty];
    this.dirty.clear();
    let failure: unknown;
    for (const arn of arns) {
      const record = this.records.get(arn);
      if (!record) continue;
      const { head, log } = this.filesOf(arn);
      try {
        await log.appendAllAsync(record.history.slice(log.length));
        await head.saveAsync({ ...record, history: [] });
      } catch (error) {
        // Tried again with the next flush; the caller waiting on this one hears of it.
        this.dirty.add(arn);
        failure ??= error;
      }
    }
    await this.forgetOldFinished();
    if (failure !== undefined) throw failure;
  }

  private async forgetOldFinished(): Promise<void> {
    const finished = [...this.records.values()].filter((r) => r.status !== 'RUNNING');
    if (finished.length <= this.keepFinished) return;
    finished.sort((a, b) => (a.stopDate ?? a.startDate) - (b.stopDate ?? b.startDate));
    for (const record of finished.slice(0, finished.length - this.keepFinished)) {
      const { head, log } = this.filesOf(record.executionArn);
      this.records.delete(record.executionArn);
      this.files.delete(record.executionArn);
      this.dirty.delete(record.executionArn);
      await rm(head.file, { force: true });
      await rm(log.file, { force: true });
    }
  }
}
