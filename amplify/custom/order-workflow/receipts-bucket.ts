import type * as s3 from 'aws-cdk-lib/aws-s3';

/** Hardens Amplify's receipts bucket: default encryption, no public access, and a lifecycle that archives old receipts. */
export const hardenReceiptsBucket = (bucket: s3.CfnBucket): void => {
  bucket.bucketEncryption = {
    serverSideEncryptionConfiguration: [
      { serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true },
    ],
  };
  bucket.publicAccessBlockConfiguration = {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  };
  // Receipts are read in the weeks after a purchase and kept seven years for bookkeeping.
  bucket.lifecycleConfiguration = {
    rules: [
      {
        id: 'ArchiveOldReceipts',
        status: 'Enabled',
        prefix: 'receipts/',
        transitions: [
          { storageClass: 'STANDARD_IA', transitionInDays: 30 },
          { storageClass: 'GLACIER_IR', transitionInDays: 365 },
        ],
        expirationInDays: 7 * 365 + 2,
      },
      {
        id: 'AbortIncompleteUploads',
        status: 'Enabled',
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ],
  };
};
