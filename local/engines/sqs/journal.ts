import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * An append-only JSON-lines journal: every change is appended synchronously before the API answers,
 * so a kill -9 loses nothing that a client was told had happened. Compaction rewrites it atomically.
 */
export class Journal<T> {
  private readonly file: string;
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
    appendFileSync(this.file, JSON.stringify(record) + '\n');
    this.lines += 1;
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
