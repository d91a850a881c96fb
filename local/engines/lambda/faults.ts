/**
 * Test hook of the local Lambda engine: `POST /_local/faults {functionName, count, errorName}` (on
 * the SSM port, the Lambda engine's HTTP endpoint) makes the next `count` invocations of that
 * function fail with an error of that name before its handler runs, as a crashed or failing
 * function would; `delayMs` makes them slow instead (or as well). With `when: 'after'` the handler runs first (its side effects happen) and the
 * invocation fails anyway, as a function that crashed or timed out before returning would.
 * `GET` lists what is still armed, `DELETE` disarms everything. The hook exists only in a backend
 * started with LOCAL_TEST_HOOKS=1, and like every AWS endpoint it wants a SigV4 signature.
 */
import { z } from 'zod';
import type { FunctionModel } from '../../assembly';

export const lambdaFaultSchema = z
  .object({
    /** Amplify name (capturePayment), physical name or ARN. */
    functionName: z.string().min(1),
    count: z.number().int().min(1).max(1000),
    /** The error type Step Functions and callers see, e.g. InjectedFault or TransientError. */
    errorName: z
      .string()
      .regex(/^[A-Za-z][\w.:-]{0,99}$/)
      .optional(),
    message: z.string().max(1000).optional(),
    /**
     * A slow function rather than a failing one (a cold start, a slow carrier API): the
     * invocation waits this long at its moment, then runs or returns as usual unless an error
     * is armed too.
     */
    delayMs: z.number().int().min(1).max(60_000).optional(),
    /**
     * 'before' (the default): the handler never runs. 'after': the handler runs, then the
     * invocation fails with this error instead of returning; a handler that fails on its own still
     * fails with its own error (it never got to the point of returning), and uses up the fault.
     */
    when: z.enum(['before', 'after']).default('before'),
  })
  .refine((fault) => fault.errorName !== undefined || fault.delayMs !== undefined, {
    message: 'a fault needs an errorName, a delayMs or both',
    path: ['errorName'],
  });

/** An armed fault (with its defaults applied). */
export type LambdaFault = z.output<typeof lambdaFaultSchema>;
/** A fault as a caller asks for it (`when` may be left out). */
export type LambdaFaultRequest = z.input<typeof lambdaFaultSchema>;

/** Faults armed for the next invocations of functions; shared by the engine and its HTTP hook. */
export class LambdaFaults {
  private readonly armed: LambdaFault[] = [];

  add(fault: LambdaFaultRequest): void {
    this.armed.push(lambdaFaultSchema.parse(fault));
  }

  list(): LambdaFault[] {
    return this.armed.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.armed.splice(0);
  }

  /** Uses up one armed fault of this function, if any. */
  take(fn: FunctionModel): LambdaFault | undefined {
    const names = [fn.name, fn.functionName, fn.arn];
    const fault = this.armed.find((f) => names.includes(f.functionName));
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.armed.splice(this.armed.indexOf(fault), 1);
    return fault;
  }

  /**
   * Serves /_local/faults for a request whose body was read (and signature checked) by the
   * caller: returns the status and JSON to answer with.
   */
  serve(method: string, body: Buffer): { status: number; body: unknown } {
    if (method === 'GET') return { status: 200, body: this.list() };
    if (method === 'DELETE') {
      this.clear();
      return { status: 200, body: [] };
    }
    if (method !== 'POST')
      return { status: 405, body: { message: 'Use GET, POST or DELETE on /_local/faults' } };
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return { status: 400, body: { message: `The fault is not valid JSON: ${String(error)}` } };
    }
    const fault = lambdaFaultSchema.safeParse(json);
    if (!fault.success) {
      return {
        status: 400,
        body: {
          message: `Invalid fault: ${fault.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        },
      };
    }
    this.armed.push(fault.data);
    return { status: 200, body: this.list() };
  }
}
