/** The AWS query protocol (`Action=...` form or query string in, XML out) and its errors. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, requireSignature, type SignaturePolicy } from './aws-json';
import { BodyTooLargeError, DEFAULT_BODY_LIMIT, readBody } from './http';
import { QUERY_SIGNATURE_ERRORS } from './sigv4';

/** Escapes text for an XML element or attribute. */
export const xml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** One query service: its XML namespace and its actions, each answering its result's XML. */
export interface AwsQueryService {
  /** e.g. `http://sns.amazonaws.com/doc/2010-03-31/`. */
  xmlns: string;
  actions: Readonly<Record<string, (params: URLSearchParams) => string>>;
  signature: SignaturePolicy;
  /** Requests served without a signature (SNS's UnsubscribeURL), given their parameters. */
  unsigned?(req: IncomingMessage, params: URLSearchParams): boolean;
  /** Routes outside the protocol (test hooks), tried after the signature check; true when answered. */
  route?(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  maxBodyBytes?: number;
}

/**
 * Serves one AWS query service: parameters from a POSTed form or the query string, the signature
 * checked first, `<ActionResponse>` with its request id, or `<ErrorResponse>` (Sender for the
 * caller's mistakes, Receiver for the service's own).
 */
export function awsQueryHandler(
  service: AwsQueryService,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limit = service.maxBodyBytes ?? DEFAULT_BODY_LIMIT;
  const answer = (res: ServerResponse, status: number, requestId: string, text: string): void => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(`<?xml version="1.0"?>${text}`);
  };
  return async (req, res) => {
    const requestId = randomUUID();
    try {
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        throw new AwsError('RequestEntityTooLarge', `Request body exceeds ${limit} bytes.`, 413);
      }
      const url = new URL(req.url ?? '/', 'http://local');
      const params = new URLSearchParams(
        req.method === 'POST' ? body.toString('utf8') : url.search,
      );
      if (!service.unsigned?.(req, params)) {
        await requireSignature(req, body, {
          errors: QUERY_SIGNATURE_ERRORS,
          ...service.signature,
        });
      }
      if (service.route?.(req, res, url)) return;
      const action = params.get('Action') ?? '';
      const run = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
      if (!run) throw new AwsError('InvalidAction', `Unknown action ${action || '(none)'}`);
      const result = run(params);
      answer(
        res,
        200,
        requestId,
        `<${action}Response xmlns="${service.xmlns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (error) {
      const known = error instanceof AwsError;
      answer(
        res,
        known ? error.status : 500,
        requestId,
        `<ErrorResponse xmlns="${service.xmlns}"><Error><Type>${known ? 'Sender' : 'Receiver'}</Type><Code>${known ? error.code : 'InternalError'}</Code><Message>${xml(error instanceof Error ? error.message : String(error))}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  };
}
