/**
 * Test hook of the local Lambda engine: `POST /_local/faults {functionName, count, errorName}` (on
 * the SSM port, the Lambda engine's HTTP endpoint) makes the next `count` invocations of that
 * function fail with an error of that name before its handler runs, as a crashed or failing
 * function would. With `when: 'after'` the handler runs first (its side effects happen) and the
 * invocation fails anyway, as a function that crashed or timed out before returning would.
 * `GET` lists what is still armed, `DELETE` disarms everything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FunctionModel } from '../../assembly';

export const lambdaFaultSchema = z.object({
  /** Amplify name (capturePayment), physical name or ARN. */
  functionName: z.string().min(1),
  count: z.number().int().min(1).max(1000),
  /** The error type Step Functions and callers see, e.g. InjectedFault or TransientError. */
  errorName: z.string().regex(/^[A-Za-z][\w.:-]{0,99}$/),
  message: z.string().max(1000).optional(),
  /**
   * 'before' (the default): the handler never runs. 'after': the handler runs, then the
   * invocation fails with this error instead of returning; a handler that fails on its own still
   * fails with its own error (it never got to the point of returning), and uses up the fault.
   */
  when: z.enum(['before', 'after']).default('before'),
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

  /** Serves /_local/faults; returns false for any other path so the caller handles it. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!req.url?.startsWith('/_local/faults')) return false;
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET') send(200, this.list());
    else if (req.method === 'DELETE') {
      this.clear();
      send(200, []);
    } else if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
          send(400, { message: `The fault is not valid JSON: ${String(error)}` });
          return;
        }
        const fault = lambdaFaultSchema.safeParse(body);
        if (!fault.success) {
          send(400, {
            message: `Invalid fault: ${fault.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          });
          return;
        }
        this.armed.push(fault.data);
        send(200, this.list());
      });
    } else send(405, { message: 'Use GET, POST or DELETE on /_local/faults' });
    return true;
  }
}
