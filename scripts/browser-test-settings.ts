/**
 * The bank-confirmation wait (seconds) the browser tests' backend is synthesized with: their
 * walk-away journey (e2e/bank-confirmation.spec.ts) waits it out. `npm test` uses it for every
 * phase, so one cloud assembly serves the infrastructure, local and browser tests.
 */
export const BROWSER_TESTS_BANK_CONFIRMATION_SECONDS = '30';
