/** The AWS JSON protocol (`X-Amz-Target: Service.Operation`, JSON in and out) and its errors. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { BodyTooLargeError, DEFAULT_BODY_LIMIT, readBody, sendJson, serveHttp } from './http';
import {
  JSON_SIGNATURE_ERRORS,
  RequestSignatureError,
  verifyIncomingRequest,
  type LocalCredentials,
  type SignatureProblem,
} from './sigv4';

/** An error in a service's words: its code (`__type`), message and HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AwsError';
  }
}

/** Who must sign, and the service and region the signature must be scoped to. */
export interface SignaturePolicy {
  credentials: LocalCredentials;
  region: string;
  service: string;
  /** The service's codes for each signature problem (JSON services' by default). */
  errors?: Record<SignatureProblem | 'scope', string>;
  /** Operations anyone may call unsigned (Cognito's public ones); all others must be signed. */
  unsigned?: ReadonlySet<string>;
  /** The service's answer to a bad signature (default: 403 with the code). */
  refuse?(code: string, error: RequestSignatureError): AwsError;
}

/** Checks a request's signature and answers a bad one as a 403 in the service's words. */
export async function requireSignature(
  req: IncomingMessage,
  body: Buffer,
  policy: SignaturePolicy,
): Promise<void> {
  try {
    await verifyIncomingRequest(req, body, policy.credentials, policy);
  } catch (error) {
    if (!(error instanceof RequestSignatureError)) throw error;
    const code = (policy.errors ?? JSON_SIGNATURE_ERRORS)[error.problem];
    throw policy.refuse?.(code, error) ?? new AwsError(code, error.message, 403, { cause: error });
  }
}

/** One service's operations and how it words its errors. */
export interface AwsJsonService<Input> {
  /** The `X-Amz-Target` prefix before the dot, e.g. `AmazonSQS`. */
  target: string;
  /** `application/x-amz-json-1.0` or `-1.1`, as the service's SDK client expects. */
  version: '1.0' | '1.1';
  operations: Readonly<Record<string, (input: Input) => unknown>>;
  signature: SignaturePolicy;
  /** The body as the operations take it; throw an AwsError to refuse it. */
  decode(body: unknown): Input;
  /** The answer to a target this service does not have (`operation` is undefined for another service's prefix). */
  unknownOperation(target: string, operation: string | undefined): AwsError;
  /** The answer to a body that is not JSON. */
  malformed(): AwsError;
  /** The answer to anything unexpected (default: `InternalFailure`, 500). */
  internal?(error: unknown): AwsError;
  maxBodyBytes?: number;
  tooLarge?(limit: number): AwsError;
  /** How `__type` is written (SQS prefixes its namespace). */
  errorType?(code: string): string;
  /** Headers every error carries besides the request id (SQS's query-compatible code, `x-amzn-errortype`). */
  errorHeaders?(error: AwsError): Record<string, string>;
}

/**
 * Serves one AWS JSON service: reads the body within its limit, checks the signature before
 * anything else is looked at (for operations that need one), finds the operation from
 * `X-Amz-Target`, decodes the body and answers the result, or the error in the service's shape.
 */
export function awsJsonHandler<Input>(
  service: AwsJsonService<Input>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const contentType = `application/x-amz-json-${service.version}`;
  const limit = service.maxBodyBytes ?? DEFAULT_BODY_LIMIT;
  const operationOf = (target: string): string | undefined =>
    target.startsWith(`${service.target}.`) ? target.slice(service.target.length + 1) : undefined;
  return async (req, res) => {
    const requestId = randomUUID();
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = operationOf(target);
      const run =
        req.method === 'POST' &&
        operation !== undefined &&
        Object.hasOwn(service.operations, operation)
          ? service.operations[operation]
          : undefined;
      const perOperation = service.signature.unsigned !== undefined;
      // A service with public operations names an unknown one before asking for a signature.
      if (perOperation && !run) throw service.unknownOperation(target, operation);
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        throw (
          service.tooLarge?.(limit) ??
          new AwsError('RequestEntityTooLargeException', 'Request body is larger than 1 MB', 413)
        );
      }
      // Like AWS, the signature is checked before the request is even parsed.
      if (!(operation !== undefined && service.signature.unsigned?.has(operation)))
        await requireSignature(req, body, service.signature);
      if (!run) throw service.unknownOperation(target, operation);
      let json: unknown;
      try {
        json = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        throw service.malformed();
      }
      const result = await run(service.decode(json));
      sendJson(res, 200, result, { 'content-type': contentType, 'x-amzn-requestid': requestId });
    } catch (error) {
      const e =
        error instanceof AwsError
          ? error
          : (service.internal?.(error) ??
            new AwsError(
              'InternalFailure',
              error instanceof Error ? error.message : String(error),
              500,
            ));
      sendJson(
        res,
        e.status,
        { __type: service.errorType?.(e.code) ?? e.code, message: e.message },
        {
          'content-type': contentType,
          'x-amzn-requestid': requestId,
          ...service.errorHeaders?.(e),
        },
      );
    }
  };
}

/** Serves one AWS JSON service on its own port (the handler answers every failure itself). */
export function serveAwsJson<Input>(
  engine: string,
  at: { host: string; port: number },
  service: AwsJsonService<Input>,
): Promise<Server> {
  return serveHttp({ engine, ...at, handle: awsJsonHandler(service), fail: () => undefined });
}
