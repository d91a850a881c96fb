/**
 * Local S3: @20minutes/s3rver (verifies SigV4, so presigned URLs expire and refuse tampering) with
 * the buckets the templates declare, and the files CDK's BucketDeployments would copy into them
 * (the model introspection schema the functions fetch at cold start).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, readFileSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from '@20minutes/s3rver';
import { DUMMY_ACCOUNT } from '@20minutes/s3rver/lib/models/account.js';
import type { BucketDeploymentModel, BucketModel } from '../../assembly';
import type { Engine } from '../kit/engine';
import { close, explainListenError } from '../kit/http';

export interface S3EngineOptions {
  port: number;
  host: string;
  dataDir: string;
  buckets: BucketModel[];
  deployments: BucketDeploymentModel[];
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

// Browsers fetch receipts through presigned links: allow any local origin to GET them.
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/** An S3 client configured the way s3rver needs (path style, checksums only when required). */
export function localS3Client(
  endpoint: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): S3Client {
  return new S3Client({
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Starts s3rver with the declared buckets and uploads the deployments' files. */
export async function start(options: S3EngineOptions): Promise<Engine> {
  mkdirSync(options.dataDir, { recursive: true });
  DUMMY_ACCOUNT.createKeyPair(options.credentials.accessKeyId, options.credentials.secretAccessKey);
  const server = new S3rver({
    address: options.host,
    port: options.port,
    directory: options.dataDir,
    silent: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((b) => ({ name: b.name, configs: [CORS] })),
  });
  try {
    await server.run();
  } catch (error) {
    throw explainListenError('S3', options.port, options.host, error);
  }
  if (server.httpServer) refuseAnonymousRequests(server.httpServer);
  const url = `http://${options.host}:${options.port}`;
  const client = localS3Client(url, options.region, options.credentials);
  try {
    for (const deployment of options.deployments) {
      for (const dir of deployment.sourceDirs) {
        for (const file of walk(dir)) {
          const key = deployment.keyPrefix + path.relative(dir, file).split(path.sep).join('/');
          await client.send(
            new PutObjectCommand({
              Bucket: deployment.bucketName,
              Key: key,
              Body: readFileSync(file),
              ContentType: file.endsWith('.json') ? 'application/json' : undefined,
            }),
          );
        }
      }
    }
  } finally {
    client.destroy();
  }
  return {
    url,
    stop: async () => {
      if (server.httpServer) await close(server.httpServer);
    },
  };
}

/**
 * s3rver verifies a signature when there is one but serves a request that carries none as if the
 * bucket were public. The receipts bucket blocks public access, so, as S3 does for it, a request
 * with neither an Authorization header nor a presigned query gets 403 AccessDenied; signed and
 * presigned ones go on to s3rver, which checks them. CORS preflights carry no credentials in any
 * browser and are answered as before.
 */
function refuseAnonymousRequests(httpServer: Server): void {
  const s3rverHandlers = httpServer.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS' || isSigned(req)) {
      for (const handler of s3rverHandlers) handler(req, res);
      return;
    }
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>${requestId}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
    req.resume();
    res.writeHead(403, {
      'content-type': 'application/xml',
      'x-amz-request-id': requestId,
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

function isSigned(req: IncomingMessage): boolean {
  if (req.headers.authorization) return true;
  const query = new URL(req.url ?? '/', 'http://s3').searchParams;
  return query.has('X-Amz-Signature') || query.has('Signature');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
