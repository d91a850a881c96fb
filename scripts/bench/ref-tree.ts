/**
 * The tree `--compare <git-ref>` measures: the ref checked out into a temporary git worktree, with
 * this tree's node_modules (and cdk.out, which synthesis re-checks by its hash) hard-linked in, so
 * it starts in seconds and takes no space; removed again after the run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RefTree {
  dir: string;
  commit: string;
  remove(): void;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export function checkoutRef(projectDir: string, ref: string, log: (line: string) => void): RefTree {
  let commit: string;
  try {
    commit = git(projectDir, 'rev-parse', '--verify', `${ref}^{commit}`);
  } catch {
    throw new Error(`--compare: "${ref}" is not a commit in ${projectDir}`);
  }
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'storefront-bench-ref-')), 'tree');
  log(`checking out ${ref} (${commit.slice(0, 7)}) into ${dir} ...`);
  git(projectDir, 'worktree', 'add', '--detach', dir, commit);
  for (const linked of ['node_modules', 'local/node_modules', 'cdk.out']) {
    const from = path.join(projectDir, linked);
    if (existsSync(from)) execFileSync('cp', ['-al', from, path.join(dir, linked)]);
  }
  if (git(projectDir, 'diff', '--stat', commit, '--', 'package-lock.json') !== '')
    log(`note: ${ref}'s package-lock.json differs; it runs with this tree's node_modules`);
  let removed = false;
  return {
    dir,
    commit,
    remove() {
      if (removed) return;
      removed = true;
      try {
        git(projectDir, 'worktree', 'remove', '--force', dir);
      } catch {
        // Already gone: only the folder and git's note of it can be left.
      }
      rmSync(path.dirname(dir), { recursive: true, force: true });
      git(projectDir, 'worktree', 'prune');
    },
  };
}
