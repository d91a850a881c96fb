/** AWS Signature Version 4 verification, shared by the engines whose callers sign (AppSync IAM, Cognito admin). */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as SigV4 saw it: method, raw path, raw query string, headers and the exact body bytes. */
export interface SignedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  body: string | Buffer;
}

/**
 * What was wrong with a signature, so that each engine answers in its own service's words:
 * no signature at all, a malformed one, an access key nobody issued, a signature too old, or one
 * that does not match the request.
 */
export type SignatureProblem = 'missing' | 'malformed' | 'unknownKey' | 'expired' | 'mismatch';

/** Why a SigV4 signature was refused, in the words AWS uses. */
export class SignatureError extends Error {
  constructor(
    message: string,
    readonly problem: SignatureProblem,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function canonicalUri(path: string): string {
  if (!path) return '/';
  // Non-S3 services sign each (already encoded) path segment encoded once more.
  return path
    .split('/')
    .map((segment) => rfc3986(segment))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const [k = '', v = ''] = part.split('=');
      const decode = (x: string) => decodeURIComponent(x.replace(/\+/g, ' '));
      return [rfc3986(decode(k)), rfc3986(decode(v))] as const;
    })
    .filter(([k]) => k !== 'X-Amz-Signature');
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * Verifies an `Authorization: AWS4-HMAC-SHA256 ...` signature against the known secret keys and
 * returns the access key id that signed it.
 */
export function verifySigV4(
  request: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: number = Date.now(),
): { accessKeyId: string; region: string; service: string } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = String(v);
  }
  const authorization = headers['authorization'] ?? '';
  if (!authorization.trim()) throw new SignatureError('Missing Authentication Token', 'missing');
  const match = AUTH_PATTERN.exec(authorization.trim());
  if (!match) {
    throw new SignatureError('Authorization header requires a valid SigV4 signature.', 'malformed');
  }
  const [
    ,
    accessKeyId = '',
    date = '',
    region = '',
    service = '',
    signedHeaderList = '',
    signature = '',
  ] = match;
  const secret = secretFor(accessKeyId);
  if (secret === undefined) {
    throw new SignatureError(
      'The security token included in the request is invalid.',
      'unknownKey',
    );
  }
  const amzDate = headers['x-amz-date'] ?? '';
  const parsed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!parsed || !amzDate.startsWith(date)) {
    throw new SignatureError(
      'Date in Credential scope does not match the X-Amz-Date header.',
      'malformed',
    );
  }
  const signedAt = Date.UTC(
    Number(parsed[1]),
    Number(parsed[2]) - 1,
    Number(parsed[3]),
    Number(parsed[4]),
    Number(parsed[5]),
    Number(parsed[6]),
  );
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new SignatureError(
      'Signature expired: the request was signed more than 15 minutes ago.',
      'expired',
    );
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host'))
    throw new SignatureError('The host header must be signed.', 'malformed');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaderList,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureError(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      'mismatch',
    );
  }
  return { accessKeyId, region, service };
}

/** The access key and secret the local engines accept (the local credentials). */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Error codes per protocol family: JSON services (`__type`) and query/XML services (`Code`). */
export const JSON_SIGNATURE_ERRORS: Record<SignatureProblem | 'scope', string> = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  unknownKey: 'UnrecognizedClientException',
  expired: 'InvalidSignatureException',
  mismatch: 'InvalidSignatureException',
  scope: 'InvalidSignatureException',
};
export const QUERY_SIGNATURE_ERRORS: Record<SignatureProblem | 'scope', string> = {
  missing: 'MissingAuthenticationToken',
  malformed: 'IncompleteSignature',
  unknownKey: 'InvalidClientTokenId',
  expired: 'SignatureDoesNotMatch',
  mismatch: 'SignatureDoesNotMatch',
  scope: 'SignatureDoesNotMatch',
};

/** A refused request: what went wrong and the words to answer it with. */
export class RequestSignatureError extends Error {
  constructor(
    message: string,
    readonly problem: SignatureProblem | 'scope',
  ) {
    super(message);
    this.name = 'RequestSignatureError';
  }
}

/**
 * Verifies an incoming HTTP request (its exact body bytes already read) against the local
 * credentials and the service it was meant for, as each AWS endpoint does before anything else.
 * Throws RequestSignatureError; each engine answers it in its own protocol.
 */
export function verifyIncomingRequest(
  req: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  body: string | Buffer,
  credentials: LocalCredentials,
  scope: { service: string; region: string },
): void {
  const [path = '/', query = ''] = (req.url ?? '/').split('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  let signedFor: { region: string; service: string };
  try {
    signedFor = verifySigV4({ method: req.method ?? 'POST', path, query, headers, body }, (id) =>
      id === credentials.accessKeyId ? credentials.secretAccessKey : undefined,
    );
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    throw new RequestSignatureError(error.message, error.problem);
  }
  if (signedFor.service !== scope.service) {
    throw new RequestSignatureError(
      `Credential should be scoped to correct service: '${scope.service}'.`,
      'scope',
    );
  }
  if (signedFor.region !== scope.region) {
    throw new RequestSignatureError(
      `Credential should be scoped to a valid region, not '${signedFor.region}'.`,
      'scope',
    );
  }
}
