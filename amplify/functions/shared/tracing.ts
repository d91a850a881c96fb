import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './observability';

/*
 * Powertools Tracer, loaded only where it traces. It pulls in aws-xray-sdk-core, which the local
 * backend has no daemon for: the local engine sets POWERTOOLS_TRACE_ENABLED=false, so offline the
 * module is never evaluated and costs nothing but its bytes in the bundle. In AWS (active tracing
 * on every function, backend.ts) it is loaded on first use.
 */

let loaded: Promise<Tracer | undefined> | undefined;

/** True in a Lambda whose tracing is not switched off by POWERTOOLS_TRACE_ENABLED=false. */
export const tracingEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['POWERTOOLS_TRACE_ENABLED'] !== 'false' && Boolean(env['AWS_LAMBDA_FUNCTION_NAME']);

const tracer = (): Promise<Tracer | undefined> =>
  (loaded ??= tracingEnabled()
    ? import('@aws-lambda-powertools/tracer').then(
        ({ Tracer: PowertoolsTracer }) => new PowertoolsTracer({ serviceName: SERVICE_NAME }),
      )
    : Promise.resolve(undefined));

/** Traces every call these AWS SDK v3 clients make (one subsegment per call), where tracing is on. */
export const traceAwsClients = async (
  ...clients: Parameters<Tracer['captureAWSv3Client']>[0][]
): Promise<void> => {
  const active = await tracer();
  if (active) for (const client of clients) active.captureAWSv3Client(client);
};

/** Runs `work` in a subsegment named `name` (errors recorded on it), where tracing is on. */
export const inSubsegment = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const active = await tracer();
  const parent = active?.getSegment();
  if (!active || !parent) return work();
  const subsegment = parent.addNewSubsegment(name);
  active.setSegment(subsegment);
  try {
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    active.setSegment(parent);
  }
};
