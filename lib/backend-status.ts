import { localEndpoints, type OutputsResult } from './outputs';

/**
 * Adds to a parsed amplify_outputs.json whether its local backend answers at all: the file outlives
 * the `npm run dev` that wrote it, and a page should then say to start the backend, not fail on
 * "fetch failed". Any HTTP answer counts; only a refused or silent connection does not. The cloud
 * path (no `custom.local`) is passed through untouched: AppSync is not probed on every page.
 */
export async function withLocalBackendStatus(
  result: OutputsResult,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 2000,
): Promise<OutputsResult> {
  if (!result.ok) return result;
  const local = localEndpoints(result.outputs);
  if (!local) return result;
  const url = local.graphql ?? result.outputs.data.url;
  try {
    const response = await fetchImpl(url, {
      method: 'GET',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return result;
  } catch (error) {
    return {
      ok: false,
      reason: 'unreachable',
      path: url,
      detail: error instanceof Error ? (error.cause ?? error).toString() : String(error),
    };
  }
}
