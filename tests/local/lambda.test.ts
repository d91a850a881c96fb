/**
 * The local Lambda engine inside `npm run local`: the functions' bundled handlers run with their
 * template environment resolved to local endpoints, their Amplify SSM parameters and secrets served
 * by the local SSM engine, and they answer AppSync's custom operations.
 */
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, inject, it } from 'vitest';
import { localEndpoint } from '../support/backend';
import { testClientId } from '../support/shoppers';

const backend = inject('localBackend');
const ssm = new SSMClient({
  ...localEndpoint(backend.urls['ssm']),
  maxAttempts: 1,
});
const cognito = new CognitoIdentityProviderClient({
  ...localEndpoint(backend.urls['cognito']),
  maxAttempts: 1,
});

async function adminIdToken(): Promise<string> {
  const auth = backend.outputs['auth'] as { user_pool_id: string };
  const signedIn = await cognito.send(
    new InitiateAuthCommand({
      ClientId: await testClientId(cognito, auth.user_pool_id),
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: backend.admin.email, PASSWORD: backend.admin.password },
    }),
  );
  const token = signedIn.AuthenticationResult?.IdToken;
  if (!token) throw new Error('The admin signed in without an ID token');
  return token;
}

describe('Local Lambda and SSM', () => {
  it('serves Amplify resource references and secrets the way the functions fetch them', async () => {
    const data = backend.outputs['data'] as { url: string };
    const prefix = '/amplify/resource_reference/storefront/';
    const byPath = await ssm.send(
      new GetParametersCommand({
        Names: [
          `${prefix}dev-sandbox-139e5d0e56/AMPLIFY_DATA_GRAPHQL_ENDPOINT`,
          '/amplify/storefront/dev-sandbox-139e5d0e56/STRIPE_SECRET_KEY',
          '/amplify/nowhere/UNKNOWN',
        ],
        WithDecryption: true,
      }),
    );
    const values = Object.fromEntries(
      (byPath.Parameters ?? []).map((p) => [p.Name?.split('/').pop(), p.Value]),
    );
    expect(values['AMPLIFY_DATA_GRAPHQL_ENDPOINT']).toBe(data.url);
    expect(values['STRIPE_SECRET_KEY']).toMatch(/^sk_test_/);
    expect(byPath.InvalidParameters).toEqual(['/amplify/nowhere/UNKNOWN']);
  });

  it('runs a custom query through its function, which reaches the local GraphQL API with IAM', async () => {
    const data = backend.outputs['data'] as { url: string };
    const res = await fetch(data.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await adminIdToken() },
      body: JSON.stringify({
        query: 'query Receipt($orderId: ID!) { receiptUrl(orderId: $orderId) { url expiresAt } }',
        variables: { orderId: 'no-such-order' },
      }),
    });
    const body = (await res.json()) as { errors?: { errorType?: string; message: string }[] };
    // The handler looked the order up through AppSync (endpoint from SSM, model introspection from
    // S3, IAM-signed) and answered with its own error for a missing order.
    expect(body.errors?.[0]?.errorType).toBe('ORDER_NOT_FOUND');
    expect(body.errors?.[0]?.message).toContain('no-such-order');
  });
});
