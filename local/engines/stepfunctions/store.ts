import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/** Executions as one JSON file each, rewritten atomically (write then rename) on every transition. */
export class ExecutionStore {
  private readonly dir: string;
  private readonly records = new Map<string, ExecutionRecord>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'executions');
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      try {
        const record = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as ExecutionRecord;
        this.records.set(record.executionArn, record);
      } catch {
        // A torn temp file never replaces a good one (rename is atomic), so skipping is safe.
      }
    }
  }

  private fileOf(arn: string): string {
    return join(this.dir, `${createHash('sha1').update(arn).digest('hex')}.json`);
  }

  get(arn: string): ExecutionRecord | undefined {
    return this.records.get(arn);
  }

  all(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  save(record: ExecutionRecord): void {
    this.records.set(record.executionArn, record);
    const file = this.fileOf(record.executionArn);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, file);
  }
}
