/**
 * Local S3 conformance through the real AWS SDK v3 and presigner against `npm run local`: the
 * buckets the templates declare, presigned URLs that work, expire and refuse tampering.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, inject, it } from 'vitest';
import { localEndpoint } from '../support/backend';

const backend = inject('localBackend');
const storage = backend.outputs['storage'] as { bucket_name: string };
const s3 = new S3Client({
  ...localEndpoint(backend.urls['s3']),
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  maxAttempts: 1,
});

describe('Local S3', () => {
  it('has the receipts bucket that amplify_outputs.json names', async () => {
    const key = `receipts/test-${Date.now()}.txt`;
    await s3.send(new PutObjectCommand({ Bucket: storage.bucket_name, Key: key, Body: 'hello' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: storage.bucket_name, Key: key }));
    expect(head.ContentLength).toBe(5);
  });

  it('serves a presigned GET until it expires, and refuses it afterwards', async () => {
    const key = `receipts/presigned-${Date.now()}.pdf`;
    const body = Buffer.from('%PDF-1.7 local receipt');
    await s3.send(
      new PutObjectCommand({
        Bucket: storage.bucket_name,
        Key: key,
        Body: body,
        ContentType: 'application/pdf',
      }),
    );
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: storage.bucket_name, Key: key }),
      {
        expiresIn: 2,
      },
    );
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(body)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 3000));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/AccessDenied|expired/i);
  });

  it('refuses a presigned URL whose key or signature was tampered with', async () => {
    const key = `receipts/tamper-${Date.now()}.pdf`;
    await s3.send(new PutObjectCommand({ Bucket: storage.bucket_name, Key: key, Body: 'secret' }));
    const url = new URL(
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: storage.bucket_name, Key: key }), {
        expiresIn: 60,
      }),
    );
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('tamper-', 'other-');
    expect((await fetch(otherKey)).status).toBe(403);
    const badSignature = new URL(url);
    const signature = badSignature.searchParams.get('X-Amz-Signature') ?? '';
    badSignature.searchParams.set(
      'X-Amz-Signature',
      signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
    const refused = await fetch(badSignature);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('SignatureDoesNotMatch');
  });

  it('answers NoSuchBucket for an unknown bucket and stays up', async () => {
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'x' })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
    const key = `receipts/after-${Date.now()}.txt`;
    await expect(
      s3.send(new PutObjectCommand({ Bucket: storage.bucket_name, Key: key, Body: 'still here' })),
    ).resolves.toBeDefined();
  });

  it('holds the model introspection schema where the functions fetch it', async () => {
    const data = backend.outputs['data'] as { model_introspection: unknown };
    const buckets = await fetch(backend.urls['s3'] ?? '');
    expect(buckets.status).toBeLessThan(500);
    // The functions read the bucket and key from SSM (Amplify's resource references).
    // (through the SSM SDK: the local SSM, like SSM, answers signed requests only)
    const ssm = new SSMClient(localEndpoint(backend.urls['ssm']));
    const params =
      (
        await ssm.send(
          new GetParametersByPathCommand({ Path: '/amplify/resource_reference', Recursive: true }),
        )
      ).Parameters ?? [];
    ssm.destroy();
    const value = (suffix: string) => params.find((p) => p.Name?.endsWith(suffix))?.Value ?? '';
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: value('/AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME'),
        Key: value('/AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY'),
      }),
    );
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(data.model_introspection);
  });
});
