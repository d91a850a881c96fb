import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An append-only JSON-lines journal: every change is appended synchronously before the API answers,
 * so a kill -9 loses nothing that a client was told had happened. Compaction rewrites it atomically.
 */
export class Journal<T> {
  readonly file: string;
  private lines = 0;

  constructor(dir: string, name: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, name);
  }

  /** Every record written so far; a torn last line (crash mid-write) is ignored. */
  read(): T[] {
    if (!existsSync(this.file)) return [];
    const records: T[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        // Only the last line can be torn by a crash; everything before it is whole.
      }
    }
    this.lines = records.length;
    return records;
  }

  append(record: T): void {
    this.appendAll([record]);
  }

  /** Appends several records in one write. */
  appendAll(records: readonly T[]): void {
    if (records.length === 0) return;
    appendFileSync(this.file, records.map((r) => JSON.stringify(r) + '\n').join(''));
    this.lines += records.length;
  }

  /** appendAll without holding the event loop; the caller must not overlap two on one journal. */
  async appendAllAsync(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    await appendFile(this.file, records.map((r) => JSON.stringify(r) + '\n').join(''));
    this.lines += records.length;
  }

  get length(): number {
    return this.lines;
  }

  /** Replaces the journal by the given records (the current state), atomically. */
  rewrite(records: T[]): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
    renameSync(tmp, this.file);
    this.lines = records.length;
  }
}

/**
 * One JSON document on disk, replaced atomically (write, then rename) on every save, for state
 * that is small and read whole: a crash leaves the old document or the new one, never half.
 */
export class Snapshot<T> {
  readonly file: string;

  constructor(dir: string, name: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, name);
  }

  /** The last saved document, or undefined when there is none (or it cannot be read). */
  read(): T | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** save without holding the event loop; the caller must not overlap two on one snapshot. */
  async saveAsync(value: T): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, this.file);
  }

  save(value: T, options: { mode?: number } = {}): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value), options);
    renameSync(tmp, this.file);
  }
}
