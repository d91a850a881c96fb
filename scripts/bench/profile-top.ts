/**
 * `npx tsx scripts/bench/profile-top.ts <dir-or-file.cpuprofile>...`: where a V8 CPU profile spent
 * its time, by self time: the top functions, and the same time summed by area (an npm package, a
 * folder of this repository, a function bundle, node's own code). A bench run with
 * BENCH_BACKEND_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" leaves one profile per thread.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a script URL belongs: `pkg:<name>`, `bundle`, `node`, a repository folder, or `(vm)`. */
export function areaOf(url: string): string {
  if (url === '') return '(vm)';
  if (url.startsWith('node:')) return 'node';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return `pkg:${scope?.startsWith('@') ? `${scope}/${name}` : scope}`;
  }
  if (/\/cdk\.out\/asset\.[^/]+\//.test(url)) return 'bundle';
  const repo = /\/(local\/engines\/[^/]+|local|amplify|scripts|lib)\//.exec(url);
  return repo?.[1] ?? url;
}

/** Self time (ms) per function and per area of one or more profiles, most first, idle left out. */
export function selfTimes(profiles: readonly CpuProfile[]): {
  totalMs: number;
  functions: SelfTime[];
  areas: SelfTime[];
} {
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const frame = nodes.get(id)?.callFrame;
      // Idle is the thread waiting, not work: left out, so shares are of the time spent working.
      if (!frame || frame.functionName === '(idle)') return;
      total += ms;
      const where = frame.url
        ? `${frame.url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, '')}:${frame.lineNumber + 1}`
        : '';
      const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
      const area = areaOf(frame.url);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
    });
  }
  const ranked = (map: Map<string, number>): SelfTime[] =>
    [...map]
      .map(([name, ms]) => ({ name, ms, share: total > 0 ? ms / total : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { totalMs: total, functions: ranked(byFunction), areas: ranked(byArea) };
}

const profileFiles = (target: string): string[] =>
  statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(target, f))
    : [target];

function main(targets: string[]): void {
  const top = Number(process.env['TOP'] ?? 25);
  const print = (title: string, rows: SelfTime[]): void => {
    console.log(title);
    for (const row of rows.slice(0, top))
      console.log(
        `  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`,
      );
  };
  for (const file of targets.flatMap(profileFiles)) {
    const summary = selfTimes([JSON.parse(readFileSync(file, 'utf8')) as CpuProfile]);
    console.log(`\n${path.basename(file)}: ${summary.totalMs.toFixed(0)} ms busy`);
    print('by area (self time)', summary.areas);
    print('by function (self time)', summary.functions);
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1])))
  main(process.argv.slice(2));
