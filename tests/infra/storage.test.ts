import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resourcesOfType, stackJson, stackTemplate } from './assembly';

describe('Receipts bucket', () => {
  const template = stackTemplate('storage');
  const [[bucketId, bucket] = []] = resourcesOfType(stackJson('storage'), 'AWS::S3::Bucket');

  it('encrypts objects by default and blocks all public access', () => {
    expect(bucket?.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ],
    });
    expect(bucket?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('denies every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('archives and then expires old receipts, and aborts abandoned uploads', () => {
    const rules = (bucket?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          Prefix: 'receipts/',
          Transitions: expect.arrayContaining([
            expect.objectContaining({ StorageClass: 'STANDARD_IA' }),
          ]),
          ExpirationInDays: expect.any(Number),
        }),
        expect.objectContaining({
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
      ]),
    );
  });
});
