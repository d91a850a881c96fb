/**
 * The local Lambda engine's fault hook (local/engines/lambda/faults.ts), served on the SSM port:
 * the next `count` invocations of a function fail with `errorName` before its handler runs, or,
 * with `when: 'after'`, once its handler has run (its side effects done) instead of returning.
 */
import type { LambdaFaultRequest } from '../../local/engines/lambda/faults';
import type { Backend } from './backend';

export async function injectFunctionFault(
  backend: Backend,
  fault: LambdaFaultRequest,
): Promise<void> {
  const response = await fetch(`${backend.endpoints.ssm}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`Lambda fault refused: ${await response.text()}`);
}

/** Faults still armed (not yet used up). */
export async function armedFunctionFaults(backend: Backend): Promise<unknown[]> {
  const response = await fetch(`${backend.endpoints.ssm}/_local/faults`);
  return (await response.json()) as unknown[];
}

export async function clearFunctionFaults(backend: Backend): Promise<void> {
  await fetch(`${backend.endpoints.ssm}/_local/faults`, { method: 'DELETE' });
}
