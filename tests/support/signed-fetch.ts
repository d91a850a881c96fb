/**
 * A raw HTTP request signed with SigV4 by the AWS SDK's own signer (@smithy/signature-v4), for the
 * few calls no SDK client makes: the local engines' test hooks, and hand-made requests in the
 * hardening tests. Every local AWS engine refuses an unsigned request, as AWS does.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './backend';

/** The SHA-256 the signer wants (a hash, or an HMAC when given a key), on node:crypto. */
type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: Bytes) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: Bytes): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface SignedRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The service the signature is scoped to (`sqs`, `states`, `ssm`, `lambda`...). */
  service: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The headers (with Authorization, X-Amz-Date, X-Amz-Content-Sha256) that sign this request. */
export async function signedHeaders(
  url: string,
  options: SignedRequestOptions,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    credentials: options.credentials ?? LOCAL_CREDENTIALS,
    region: options.region ?? LOCAL_REGION,
    service: options.service,
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  for (const [k, v] of target.searchParams) query[k] = v;
  const signed = await signer.sign({
    method: options.method ?? 'GET',
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query,
    headers: { host: target.host, ...options.headers },
    body: options.body,
  });
  return signed.headers;
}

/** fetch() with a SigV4 signature made by the SDK's signer. */
export async function signedFetch(url: string, options: SignedRequestOptions): Promise<Response> {
  const headers = await signedHeaders(url, options);
  const { host: _host, ...sendable } = headers;
  return fetch(url, { method: options.method ?? 'GET', headers: sendable, body: options.body });
}
