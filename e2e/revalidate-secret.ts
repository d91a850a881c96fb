/** The revalidate secret the test server is started with (scripts/e2e-server.ts); tests only. */
export const E2E_REVALIDATE_SECRET = 'e2e-revalidate-secret-0123456789abcdef';
