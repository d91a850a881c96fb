import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/** Denies plain-HTTP requests on every bucket in the app, including the ones Amplify Data creates for its own assets. */
export const requireTlsOnEveryBucket = (scope: IConstruct): void => {
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof s3.Bucket)) continue;
    const policy = construct.policy?.document.toJSON() as
      { Statement?: { Condition?: { Bool?: Record<string, string> } }[] } | undefined;
    const alreadyEnforced = policy?.Statement?.some(
      (statement) => statement.Condition?.Bool?.['aws:SecureTransport'] === 'false',
    );
    if (alreadyEnforced) continue;
    construct.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyInsecureTransport',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [construct.bucketArn, construct.arnForObjects('*')],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  }
};
