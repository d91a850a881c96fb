/** Reads the synthesized cloud assembly (cdk.out) for the infrastructure tests. */
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAGA_LAMBDAS } from '../../amplify/saga/registry';
import { functionNameOf } from '../../amplify/saga/step';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CDK_OUT = path.join(PROJECT_ROOT, 'cdk.out');
export const NAG_OUT_DIR = path.join(PROJECT_ROOT, '.amplify', 'nag.out');

/** The 16 backend functions by their Amplify names: the saga's from its step registry. */
/** The 18 backend functions by their Amplify names: the saga's from its step registry. */
export const FUNCTION_NAMES: readonly string[] = [
  'placeOrder',
  'startOrderWorkflow',
  ...SAGA_LAMBDAS.map(functionNameOf),
  'receiptUrl',
  'revalidateStorefront',
  'seedCatalog',
  'operations',
  'stripeWebhook',
  'paymentAction',
];
export type FunctionName = string;

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** Every template file in the assembly (root and nested). */
export const templateFiles = (dir = CDK_OUT): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.template.json'))
    .map((name) => path.join(dir, name));

/**
 * The nested template of one stack, by its name below the root stack: `order-messaging`,
 * `data`, `storage`, `order-intake`, `data/amplifyData/Product` ...
 */
export const stackJson = (name: string, dir = CDK_OUT): CfnTemplate => {
  const files = readdirSync(dir);
  const root = files.find((f) => f.endsWith('.template.json') && !f.includes('.nested.'));
  if (!root) throw new Error(`no root template in ${dir}`);
  const prefix = root.replace('.template.json', '').replace(/[^A-Za-z0-9]/g, '');
  const wanted = name.replace(/[^A-Za-z0-9]/g, '');
  const file = files.find(
    (f) =>
      f.startsWith(prefix) &&
      new RegExp(`^${prefix}${wanted}[0-9A-F]{8}\\.nested\\.template\\.json$`).test(f),
  );
  if (!file) throw new Error(`no nested template for stack ${name} in ${dir}`);
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CfnTemplate;
};

/** The same template for aws-cdk-lib/assertions. */
export const stackTemplate = (name: string): Template =>
  Template.fromJSON(stackJson(name), { skipCyclicalDependenciesCheck: true });

/** Resources of one type in a template, by logical id. */
export const resourcesOfType = (
  template: CfnTemplate,
  type: string,
): [string, Record<string, unknown>][] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);

/** The function name a role, policy or reference belongs to, read from its logical id or Ref. */
export const functionNameIn = (value: unknown): FunctionName | undefined => {
  const text = JSON.stringify(value);
  // No function name ends another, so `<name>lambda` is unambiguous.
  return FUNCTION_NAMES.find((name) => text.includes(`${name}lambda`));
};

/** A state-machine definition with every CloudFormation token replaced by `${<logical id or output>}`. */
export const stateMachineDefinition = (): StateMachineDefinition => {
  const workflow = stackJson('order-workflow');
  const [[, props] = []] = resourcesOfType(workflow, 'AWS::StepFunctions::StateMachine');
  const definition = props?.DefinitionString as { 'Fn::Join': [string, unknown[]] } | string;
  const text =
    typeof definition === 'string'
      ? definition
      : definition['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : '${' + tokenName(part) + '}'))
          .join(definition['Fn::Join'][0]);
  return JSON.parse(text) as StateMachineDefinition;
};

const tokenName = (token: unknown): string => {
  const t = token as { Ref?: string; 'Fn::GetAtt'?: string[] };
  if (t.Ref) return t.Ref;
  if (t['Fn::GetAtt']) return t['Fn::GetAtt'].join('.');
  return JSON.stringify(token);
};

export interface StateMachineDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}
export interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    MaxAttempts?: number;
    BackoffRate?: number;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  ErrorPath?: string;
  CausePath?: string;
}
