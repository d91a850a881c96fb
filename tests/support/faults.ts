/**
 * The local Lambda engine's fault hook (local/engines/lambda/faults.ts), served on the SSM port of
 * a backend started with LOCAL_TEST_HOOKS=1 and, like every AWS endpoint there, only to signed
 * requests: the next `count` invocations of a function fail with `errorName` before its handler
 * runs, or, with `when: 'after'`, once its handler has run (its side effects done) instead of
 * returning.
 */
import type { LambdaFaultRequest } from '../../local/engines/lambda/faults';
import { signedFetch } from './signed-fetch';

/** A backend with its Lambda engine's endpoint: the tests' own, or the browser tests' (outputs). */
type WithLambdaEndpoint = { endpoints: { ssm: string } };

const hook = (backend: WithLambdaEndpoint, method: string, body?: string): Promise<Response> =>
  signedFetch(`${backend.endpoints.ssm}/_local/faults`, {
    method,
    service: 'lambda',
    ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });

export async function injectFunctionFault(
  backend: WithLambdaEndpoint,
  fault: LambdaFaultRequest,
): Promise<void> {
  const response = await hook(backend, 'POST', JSON.stringify(fault));
  if (!response.ok) throw new Error(`Lambda fault refused: ${await response.text()}`);
}

/** Faults still armed (not yet used up). */
export async function armedFunctionFaults(backend: WithLambdaEndpoint): Promise<unknown[]> {
  const response = await hook(backend, 'GET');
  return (await response.json()) as unknown[];
}

export async function clearFunctionFaults(backend: WithLambdaEndpoint): Promise<void> {
  await hook(backend, 'DELETE');
}
