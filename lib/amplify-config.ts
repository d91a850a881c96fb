import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { connection } from 'next/server';
import { cache } from 'react';
import { serverEnv } from './env';
import { withLocalBackendStatus } from './backend-status';
import { parseOutputs, type OutputsResult } from './outputs';

/**
 * Reads amplify_outputs.json now, wherever "now" is: at request time for loadOutputs, and inside a
 * cached catalog read (lib/catalog-cache.ts), which may run during `next build`.
 */
export async function readOutputsFile(): Promise<OutputsResult> {
  const configured = serverEnv().AMPLIFY_OUTPUTS_PATH;
  const path = isAbsolute(configured)
    ? configured
    : join(/*turbopackIgnore: true*/ process.cwd(), configured);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, reason: 'missing', path, detail: String(error) };
  }
  return parseOutputs(text, path);
}

/**
 * Reads amplify_outputs.json at request time (it is written by `npm run local` or `ampx sandbox`
 * after the app may have been built), so a backend that starts later is picked up without a rebuild.
 */
export const loadOutputs = cache(async (): Promise<OutputsResult> => {
  // Outputs are per-request state: never bake a "backend missing" page into a static build.
  await connection();
  return readOutputsFile();
});

/**
 * The outputs, refused as `unreachable` when they name a local backend that is not running: what
 * every page that reads data or signs a shopper in checks first.
 */
export const loadBackend = cache(async (): Promise<OutputsResult> =>
  withLocalBackendStatus(await loadOutputs()),
);

/** Thrown when a page needs the backend and amplify_outputs.json is absent or unreadable. */
export class BackendUnavailableError extends Error {
  readonly result: Extract<OutputsResult, { ok: false }>;

  constructor(result: Extract<OutputsResult, { ok: false }>) {
    super(
      result.reason === 'missing'
        ? `The backend is not running: ${result.path} does not exist. Start it with \`npm run local\` (or \`npm run dev\`).`
        : result.reason === 'unreachable'
          ? `The local backend at ${result.path} does not answer (${result.detail}). Start it with \`npm run dev\` (or \`npm run local\`).`
          : `${result.path} is not a valid amplify_outputs.json: ${result.detail}`,
    );
    this.name = 'BackendUnavailableError';
    this.result = result;
  }
}
