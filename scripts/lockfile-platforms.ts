/**
 * Some npm registry mirrors serve only this platform's native binaries, so `npm install` writes a
 * lock without entries for the other platforms' optional packages (next's swc, tailwind's oxide,
 * the resolver bindings), and `npm ci` then refuses the lock. This adds those entries with their
 * os/cpu/libc so npm ci validates everywhere and skips what does not match the machine.
 * Run after changing dependencies: `npx tsx scripts/lockfile-platforms.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const OS = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'android',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = ['arm64', 'x64', 'ia32', 'riscv64', 'ppc64', 's390x', 'loong64', 'wasm32'];
const PLATFORM_PACKAGE = /(darwin|win32|freebsd|android|openharmony|linux|wasm32)/;

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockPackage> };
const packages = lock.packages;
let added = 0;

for (const dependent of Object.values(packages)) {
  for (const [name, version] of Object.entries(dependent.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || !PLATFORM_PACKAGE.test(name)) continue;
    const tokens = (name.split('/').pop() ?? name).split('-');
    const os = tokens.find((token) => OS.includes(token));
    const cpu =
      tokens.find((token) => CPU.includes(token)) ??
      (tokens.some((token) => token.startsWith('arm')) ? 'arm' : undefined);
    const dependents = Object.values(packages).filter((p) => p.optionalDependencies?.[name]);
    const entry: LockPackage = { version, optional: true };
    if (dependents.every((p) => p.dev)) entry.dev = true;
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    if (os === 'linux') entry.libc = [/musl/.test(name) ? 'musl' : 'glibc'];
    packages[key] = entry;
    added += 1;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`lockfile-platforms: added ${added} optional platform entries to ${file}`);
