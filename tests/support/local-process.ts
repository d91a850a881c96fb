/**
 * A local backend of one's own (`local/main.ts` as a child process) on its own port base and state
 * folder: for tests that kill it mid-workflow and benchmarks that drive it. By default it reuses
 * the synthesized cdk.out (no synthesis) and skips the Lambda prewarm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface LocalProcess {
  child: ChildProcess;
  urls: Record<string, string>;
  /** amplify_outputs.json of this backend. */
  outputsFile: string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Recent output, for error messages. */
  output(): string;
}

const projectDir = path.resolve(import.meta.dirname, '../..');

/** Starts `local/main.ts` and resolves once it printed `ready {urls}`. */
export function startLocalProcess(options: {
  portBase: number;
  stateDir: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<LocalProcess> {
  const outputsFile = path.join(options.stateDir, 'amplify_outputs.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: projectDir,
    env: {
      ...process.env,
      LOCAL_PORT_BASE: String(options.portBase),
      LOCAL_STATE_DIR: options.stateDir,
      LOCAL_OUTPUTS_FILE: outputsFile,
      LOCAL_SKIP_SYNTH: '1',
      LOCAL_CDK_OUT: path.join(projectDir, 'cdk.out'),
      LOCAL_LAMBDA_PREWARM: '0',
      LOCAL_TEST_HOOKS: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(chunk.toString('utf8'));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => lines.join('');
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The local backend did not get ready:\n${output().slice(-4000)}`));
    }, options.readyTimeoutMs ?? 180_000);
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      const match = /^ready (\{.*\})$/m.exec(buffer);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        child,
        urls: JSON.parse(match[1]) as Record<string, string>,
        outputsFile,
        exited,
        output,
      });
    };
    child.stdout?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The local backend exited before ready:\n${output().slice(-4000)}`));
    });
  });
}

/** Stops it like `kill -9`: no shutdown, whatever was in flight is cut off. */
export async function killHard(local: LocalProcess): Promise<void> {
  if (local.child.exitCode === null && local.child.signalCode === null) local.child.kill('SIGKILL');
  await local.exited;
}

/** Stops it gracefully (SIGTERM), then hard after 10 s. */
export async function stopLocalProcess(local: LocalProcess): Promise<void> {
  if (local.child.exitCode !== null || local.child.signalCode !== null) return;
  local.child.kill('SIGTERM');
  const timer = setTimeout(() => local.child.kill('SIGKILL'), 10_000);
  await local.exited;
  clearTimeout(timer);
}
