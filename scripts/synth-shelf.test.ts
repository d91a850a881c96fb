import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shelfOf, shelve, takeFromShelf } from './synth';

const made: string[] = [];

/** A stand-in assembly: what synthesize writes last, its hash file, and one template. */
function assembly(outDir: string, hash: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'synth-hash.json'), JSON.stringify({ hash, env: {} }));
  writeFileSync(path.join(outDir, 'template.json'), JSON.stringify({ built: hash }));
}

const builtBy = (outDir: string): string =>
  (JSON.parse(readFileSync(path.join(outDir, 'template.json'), 'utf8')) as { built: string }).built;

function freshOutDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'synth-shelf-'));
  const outDir = path.join(root, 'cdk.out');
  made.push(root, shelfOf(outDir));
  return outDir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the synth shelf', () => {
  it('puts back an assembly replaced by one with other inputs, and shelves the current one', async () => {
    const outDir = freshOutDir();
    assembly(outDir, 'default');
    await shelve(outDir);
    assembly(outDir, 'browser-tests');

    expect(await takeFromShelf(outDir, 'default')).toBe(true);
    expect(builtBy(outDir)).toBe('default');
    expect(await takeFromShelf(outDir, 'browser-tests')).toBe(true);
    expect(builtBy(outDir)).toBe('browser-tests');
  });

  it('has nothing for inputs it never saw, and leaves the current assembly alone', async () => {
    const outDir = freshOutDir();
    assembly(outDir, 'default');
    expect(await takeFromShelf(outDir, 'never-built')).toBe(false);
    expect(builtBy(outDir)).toBe('default');
  });

  it('keeps the two newest assemblies and drops a half-written one', async () => {
    const outDir = freshOutDir();
    for (const hash of ['a', 'b', 'c']) {
      assembly(outDir, hash);
      await shelve(outDir);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(existsSync(path.join(shelfOf(outDir), 'a'))).toBe(false);
    expect(await takeFromShelf(outDir, 'b')).toBe(true);

    rmSync(path.join(outDir, 'synth-hash.json'));
    await shelve(outDir);
    expect(existsSync(outDir)).toBe(false);
    expect(await takeFromShelf(outDir, 'c')).toBe(true);
    expect(builtBy(outDir)).toBe('c');
  });
});
