/**
 * amplify_outputs.json for the local backend, in the standard Gen 2 shape that `ampx sandbox`
 * writes for AWS (auth, data with model_introspection, storage), built from the root stack's
 * resolved outputs, plus `custom.local` listing every local engine's endpoint.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { LocalAssembly } from './assembly';
import type { LocalEndpoints } from './config';

export interface LocalOutputsOptions {
  assembly: LocalAssembly;
  endpoints: LocalEndpoints;
  /** Extra engines' endpoints (mailbox page, webhooks...), merged into custom.local. */
  extra?: Record<string, string>;
}

const parseList = (value: string | undefined): string[] => {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return value.split(',').filter(Boolean);
  }
};

/** The outputs object (amplify_outputs.json's content). */
export function buildLocalOutputs(options: LocalOutputsOptions): Record<string, unknown> {
  const { assembly, endpoints } = options;
  const o = assembly.outputs;
  const out: Record<string, unknown> = { version: '1.4' };
  const pool = assembly.userPool;
  if (pool && o['userPoolId']) {
    const requirements = parseList(o['passwordPolicyRequirements']);
    out['auth'] = {
      aws_region: o['authRegion'] ?? assembly.region,
      user_pool_id: o['userPoolId'],
      user_pool_client_id: o['webClientId'],
      // No identity pool locally: the app signs in with the user pool only (API key for guests),
      // and aws-amplify would otherwise call the real Cognito Identity for AWS credentials.
      mfa_methods: parseList(o['mfaTypes']),
      standard_required_attributes: parseList(o['signupAttributes']),
      username_attributes: parseList(o['usernameAttributes']),
      user_verification_types: parseList(o['verificationMechanisms']),
      groups: parseGroups(o['groups']),
      mfa_configuration:
        o['mfaConfiguration'] === 'OFF' ? 'NONE' : (o['mfaConfiguration'] ?? 'NONE'),
      password_policy: {
        min_length: Number(o['passwordPolicyMinLength'] ?? pool.passwordPolicy.minimumLength),
        require_numbers: requirements.includes('REQUIRES_NUMBERS'),
        require_lowercase: requirements.includes('REQUIRES_LOWERCASE'),
        require_uppercase: requirements.includes('REQUIRES_UPPERCASE'),
        require_symbols: requirements.includes('REQUIRES_SYMBOLS'),
      },
      unauthenticated_identities_enabled: false,
    };
  }
  const api = assembly.api;
  if (api) {
    const introspection = api.modelIntrospectionFile
      ? (JSON.parse(readFileSync(api.modelIntrospectionFile, 'utf8')) as Record<string, unknown>)
      : undefined;
    out['data'] = {
      url: endpoints.graphql,
      aws_region: o['awsAppsyncRegion'] ?? assembly.region,
      ...(api.apiKey ? { api_key: api.apiKey } : {}),
      default_authorization_type: api.defaultAuthorizationType,
      authorization_types: api.additionalAuthorizationTypes,
      ...(introspection ? { model_introspection: introspection } : {}),
    };
  }
  if (o['bucketName']) {
    out['storage'] = {
      aws_region: o['storageRegion'] ?? assembly.region,
      bucket_name: o['bucketName'],
      buckets: parseList(o['buckets']).map((b) => {
        const bucket = JSON.parse(b) as {
          name: string;
          bucketName: string;
          storageRegion: string;
          paths?: Record<string, unknown>;
        };
        return {
          name: bucket.name,
          bucket_name: bucket.bucketName,
          aws_region: bucket.storageRegion,
          ...(bucket.paths ? { paths: bucket.paths } : {}),
        };
      }),
    };
  }
  // The backend's own custom outputs (backend.addOutput), as ampx writes them: the webhook's URL.
  const declared = assembly.outputs['customOutputs']
    ? ((JSON.parse(assembly.outputs['customOutputs']) as { custom?: Record<string, unknown> })
        .custom ?? {})
    : {};
  out['custom'] = {
    ...declared,
    local: {
      graphql: endpoints.graphql,
      realtime: endpoints.realtime,
      cognito: endpoints.cognito,
      dynamodb: endpoints.dynamodb,
      s3: endpoints.s3,
      mailbox: endpoints.mailbox,
      smtp: endpoints.smtp,
      ses: endpoints.ses,
      sqs: endpoints.sqs,
      sns: endpoints.sns,
      stepfunctions: endpoints.stepfunctions,
      stripe: endpoints.stripe,
      ssm: endpoints.ssm,
      logs: endpoints.logs,
      ...options.extra,
    },
  };
  return out;
}

function parseGroups(value: string | undefined): Record<string, { precedence?: number }>[] {
  if (!value) return [];
  try {
    return JSON.parse(value) as Record<string, { precedence?: number }>[];
  } catch {
    return [];
  }
}

/** Writes amplify_outputs.json atomically (Next's dev server may be reading it). */
export function writeLocalOutputs(file: string, outputs: Record<string, unknown>): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(outputs, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}
