import {
  Validations,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  type PolicyViolation,
  type Stack,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Written next to the templates: what the pack still reports, and what was acknowledged and why. */
export const NAG_REPORT_FILE = 'cdk-nag-report.json';

interface Suppression {
  /** Matches the finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  rule: RegExp;
  /** Matches the construct path below the root stack, e.g. `data/placeOrder-lambda/...`. */
  path: RegExp;
  /** One sentence: why this finding is acceptable here. */
  reason: string;
}

const FUNCTION_ROLE = /^(data|order-intake)\/[A-Za-z]+-lambda\/ServiceRole\//;
const AMPLIFY_DATA = /^data\/(amplifyData|Custom::CDKBucketDeployment|GraphqlAccessPolicy)/;

/**
 * Every acknowledged cdk-nag finding, in one place: a finding is acknowledged when its id and its
 * construct path both match. Ids embed resolved references (a Lambda ARN, a table name), hence
 * patterns rather than exact ids.
 */
export const NAG_SUPPRESSIONS: Suppression[] = [
  {
    rule: /^AwsSolutions-COG8$/,
    path: /^auth\/amplifyAuth\/UserPool\//,
    reason:
      'The Cognito feature plan is an account-level pricing choice; shoppers sign in with email and password on the default plan.',
  },
  {
    rule: /^AwsSolutions-COG2$/,
    path: /^auth\/amplifyAuth\/UserPool\//,
    reason:
      'MFA is left optional so that checkout stays a one-step sign-in for shoppers; operators can enable it for their accounts.',
  },
  {
    rule: /^AwsSolutions-COG7$/,
    path: /^auth\/amplifyAuth\/IdentityPool$/,
    reason:
      'Amplify Auth enables guest identities so that signed-out shoppers can browse the catalog; the guest role gets no grants from this backend.',
  },
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/(AWSLambdaBasicExecutionRole|AWSAppSyncPushToCloudWatchLogs)\]$/,
    path: /./,
    reason:
      'These AWS managed policies only let a function or the API write its own CloudWatch logs, which is all they grant.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: new RegExp(`${FUNCTION_ROLE.source}|^order-workflow/OrderWorkflow/OrderWorkflow/Role/`),
    reason:
      'X-Ray trace upload and CloudWatch Logs delivery actions support no resource-level permissions, so they are granted on *.',
  },
  {
    rule: /^AwsSolutions-L1$/,
    path: /./,
    reason:
      'The functions target nodejs22.x, the Lambda runtime this project supports and tests; the bucket-deployment runtime is chosen by aws-cdk-lib.',
  },
  {
    rule: /^AwsSolutions-IAM5\[/,
    path: AMPLIFY_DATA,
    reason:
      'Amplify Data generates these grants (model tables and their indexes, its table manager, its data-source Lambda versions and the allow.resource GraphQL grants) and scopes them to this API.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<[^>]*lambda[^>]*Arn>:\*\]$/,
    path: /^order-workflow\/OrderWorkflow\/OrderWorkflow\/Role\//,
    reason:
      "Step Functions' LambdaInvoke grant covers each step function and its versions (ARN:*), nothing else.",
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:aws:ses:<AWS::Region>:<AWS::AccountId>:identity\/\*\]$/,
    path: FUNCTION_ROLE,
    reason:
      'SES authorizes sending against every identity involved (recipients too while in the SES sandbox); the statement is pinned to the shop sender by an ses:FromAddress condition.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Action::kms:GenerateDataKey\*\]$/,
    path: FUNCTION_ROLE,
    reason:
      'Publishing to an encrypted topic needs kms:GenerateDataKey*, and the grant is limited to the order topics key.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<receiptsBucket[^>]*\.Arn>\/receipts\/\*\]$/,
    path: /^storage\//,
    reason:
      'Amplify Storage scopes each function to the receipts/ prefix; receipts are keyed by order, so a prefix is the narrowest grant.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:aws:states:<AWS::Region>:<AWS::AccountId>:execution:[A-Za-z0-9_-]+-OrderWorkflow:\*\]$/,
    path: /^data\/operations-lambda\/ServiceRole\//,
    reason:
      'The operations page reads the history of any execution of the order workflow (each is named by its order id, unknown in advance); only DescribeExecution and GetExecutionHistory, only on that state machine.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:aws:logs:<AWS::Region>:<AWS::AccountId>:log-group:[^*]+:\*\]$/,
    path: /^data\/operations-lambda\/ServiceRole\//,
    reason:
      "The order story's FilterLogEvents is granted on each order-logging function's own log group, named, with only its log streams (the ARN's :*) left open.",
  },
  {
    rule: /^AwsSolutions-ASC3$/,
    path: /^data\/amplifyData\/GraphQLAPI\//,
    reason:
      'Resolver errors are logged, but request contents are excluded because orders carry shoppers names, addresses and emails.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /^data\/LogRetention[0-9a-f]+\/ServiceRole\//,
    reason:
      "CDK's log-retention helper sets the retention of log groups created by AWS services, so it cannot name them in advance.",
  },
  {
    rule: /^AwsSolutions-APIG4$/,
    path: /^payment-webhook\/StripeWebhookApi\/Api\/POST--stripe--webhook\//,
    reason:
      "Stripe cannot sign in: every delivery is authenticated by its Stripe-Signature (HMAC-SHA256 with the endpoint's secret), checked by the function before anything is read.",
  },
  {
    rule: /^AwsSolutions-S1$/,
    path: /./,
    reason:
      'Server access logs would need a log bucket per sandbox; receipt reads go through owner-checked presigned URLs and CloudTrail data events are the audit trail in production.',
  },
];

/** A finding the suppressions above acknowledged, as recorded in the validation report. */
export interface AcknowledgedFinding {
  rule: string;
  path: string;
  reason: string;
}

/**
 * The AwsSolutions pack with this project's acknowledgments applied. It runs at synthesis, after
 * cross-stack references are resolved, because finding ids embed those references.
 */
class AcknowledgedAwsSolutionsChecks implements IPolicyValidationPlugin {
  readonly name = 'AwsSolutions';

  constructor(private readonly rootPath: string) {}

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = new AwsSolutionsChecks().validate(context);
    const prefix = `${this.rootPath}/`;
    const acknowledged: AcknowledgedFinding[] = [];
    const violations: PolicyViolation[] = [];
    for (const violation of report.violations) {
      const left = violation.violatingResources.filter((resource) => {
        const full = resource.constructPath ?? '';
        const relative = full.startsWith(prefix) ? full.slice(prefix.length) : full;
        const match = NAG_SUPPRESSIONS.find(
          (s) => s.rule.test(violation.ruleName) && s.path.test(relative),
        );
        if (match) {
          acknowledged.push({ rule: violation.ruleName, path: relative, reason: match.reason });
        }
        return !match;
      });
      if (left.length > 0) violations.push({ ...violation, violatingResources: left });
    }
    const templatePath = context.templatePaths[0];
    if (templatePath) {
      writeFileSync(
        path.join(path.dirname(templatePath), NAG_REPORT_FILE),
        JSON.stringify({ violations, acknowledged }, null, 2),
      );
    }
    return {
      success: violations.every((v) => v.severity !== 'error'),
      violations,
      metadata: { acknowledged: JSON.stringify(acknowledged) },
    };
  }
}

/** Runs the cdk-nag AwsSolutions pack over the whole app at synthesis, with the acknowledgments above. */
export const applyNagChecks = (rootStack: Stack): void => {
  Validations.of(rootStack.node.root).addPlugins(
    new AcknowledgedAwsSolutionsChecks(rootStack.node.path),
  );
};
