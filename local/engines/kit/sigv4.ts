/** AWS Signature Version 4 verification for every engine whose callers sign, through the SDK's own signer. */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { flatHeaders } from './http';

type SourceData = string | ArrayBuffer | ArrayBufferView;

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

/** node:crypto behind the SDK's hash interface (HMAC when given a key), for the SDK's signer. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

/** The query string as the signer reads it: decoded names to one value or several. */
function queryOf(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const decode = (x: string) => decodeURIComponent(x.replace(/\+/g, ' '));
  for (const part of query.split('&').filter(Boolean)) {
    const [k = '', v = ''] = part.split('=');
    const name = decode(k);
    const value = decode(v);
    const seen = out[name];
    out[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

/**
 * Verifies an `Authorization: AWS4-HMAC-SHA256 ...` signature against the known secret keys and
 * returns the access key id that signed it. The header is parsed here; the signature itself is
 * computed by the AWS SDK's own signer over exactly the headers the client signed, so the engines
 * agree with what the SDK sends by construction.
 */
export async function verifySigV4(
  request: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: number = Date.now(),
): Promise<{ accessKeyId: string; region: string; service: string }> {
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
  const secretAccessKey = secretFor(accessKeyId);
  if (secretAccessKey === undefined) {
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
  // Made only when thrown: an Error captures its stack, which every good request paid for before.
  const mismatch = (): SignatureError =>
    new SignatureError(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      'mismatch',
    );
  // The signer trusts a declared payload hash; AWS checks it against the body.
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== sha256Hex(request.body)) throw mismatch();
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey },
    region,
    service,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const toSign = Object.fromEntries(signedHeaders.map((name) => [name, headers[name] ?? '']));
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'http:',
      hostname: headers['host'] ?? '',
      path: request.path || '/',
      query: queryOf(request.query),
      headers: toSign,
      body: request.body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(signedHeaders) },
  );
  const expected = Buffer.from(
    /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1] ?? '',
    'hex',
  );
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw mismatch();
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
export async function verifyIncomingRequest(
  req: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  body: string | Buffer,
  credentials: LocalCredentials,
  scope: { service: string; region: string },
): Promise<void> {
  const [path = '/', query = ''] = (req.url ?? '/').split('?');
  const headers = flatHeaders(req.headers);
  let signedFor: { region: string; service: string };
  try {
    signedFor = await verifySigV4(
      { method: req.method ?? 'POST', path, query, headers, body },
      (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
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
