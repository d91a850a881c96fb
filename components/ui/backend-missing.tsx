import type { OutputsResult } from '@/lib/outputs';

/**
 * What a page shows when amplify_outputs.json is absent or broken, or names a local backend that
 * is not running: what is wrong and how to fix it.
 */
export function BackendMissing({ result }: { result: Extract<OutputsResult, { ok: false }> }) {
  return (
    <section
      role="alert"
      className="mx-auto my-12 max-w-2xl rounded-2xl border border-amber-300 bg-amber-50 p-6 text-amber-900"
    >
      <h2 className="text-lg font-semibold">The store&apos;s backend is not running</h2>
      {result.reason === 'missing' ? (
        <p className="mt-2">
          <code className="font-mono text-sm">amplify_outputs.json</code> was not found at{' '}
          <code className="font-mono text-sm break-all">{result.path}</code>. Start the local
          backend with <code className="font-mono text-sm">npm run local</code> (or everything with{' '}
          <code className="font-mono text-sm">npm run dev</code>), then reload this page.
        </p>
      ) : result.reason === 'unreachable' ? (
        <p className="mt-2">
          <code className="font-mono text-sm">amplify_outputs.json</code> points at a local backend
          at <code className="font-mono text-sm break-all">{result.path}</code>, which does not
          answer. Start it with <code className="font-mono text-sm">npm run dev</code> (or the
          backend alone with <code className="font-mono text-sm">npm run local</code>), then reload
          this page.
        </p>
      ) : (
        <>
          <p className="mt-2">
            <code className="font-mono text-sm break-all">{result.path}</code> is not a valid
            amplify_outputs.json. Restart the backend to write it again.
          </p>
          <pre className="mt-3 overflow-x-auto text-xs whitespace-pre-wrap">{result.detail}</pre>
        </>
      )}
    </section>
  );
}
