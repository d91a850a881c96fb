/**
 * Shoppers for tests and benchmarks: a confirmed user created with the Cognito admin API (these
 * tests are not about sign-up), signed in with USER_PASSWORD_AUTH through an app client of the
 * tests' own. The app's client allows SRP only, locally as in AWS, so the tests create (once per
 * pool) a client that allows a password sign-in, as one would in a real account.
 */
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Backend } from './backend';

export interface Shopper {
  email: string;
  password: string;
  /** Cognito username (the pool signs in by email; the username is the user's sub). */
  username: string;
  sub: string;
  accessToken: string;
  idToken: string;
}

/** The claims of a JWT, unverified: for asserting what a token says. */
export const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

/** The name of the tests' app client: password sign-in and refresh, nothing else. */
export const TEST_CLIENT_NAME = 'storefront-tests';

const testClients = new WeakMap<CognitoIdentityProviderClient, Promise<string>>();

async function findOrCreateTestClient(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<string> {
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60, NextToken }),
    );
    const found = page.UserPoolClients?.find((c) => c.ClientName === TEST_CLIENT_NAME);
    if (found?.ClientId) return found.ClientId;
    NextToken = page.NextToken;
  } while (NextToken);
  const created = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: TEST_CLIENT_NAME,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const id = created.UserPoolClient?.ClientId;
  if (!id) throw new Error('CreateUserPoolClient returned no client id');
  return id;
}

/**
 * The id of the tests' app client in this pool: found by name (it persists with the pool) or
 * created, once per SDK client.
 */
export function testClientId(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<string> {
  let id = testClients.get(cognito);
  if (!id) {
    id = findOrCreateTestClient(cognito, userPoolId);
    // A failed attempt is not remembered: the next caller tries again.
    id.catch(() => testClients.delete(cognito));
    testClients.set(cognito, id);
  }
  return id;
}

/** Signs an existing user in (through the tests' app client) and returns their tokens. */
export async function signIn(backend: Backend, email: string, password: string): Promise<Shopper> {
  const auth = await backend.cognito.send(
    new InitiateAuthCommand({
      ClientId: await testClientId(backend.cognito, backend.userPoolId),
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const accessToken = auth.AuthenticationResult?.AccessToken;
  const idToken = auth.AuthenticationResult?.IdToken;
  if (!accessToken || !idToken) throw new Error(`Signing in ${email} gave no tokens`);
  const claims = claimsOf(accessToken);
  return {
    email,
    password,
    username: String(claims['username']),
    sub: String(claims['sub']),
    accessToken,
    idToken,
  };
}

/** Creates a confirmed shopper with a fresh address (label helps reading the mailbox) and signs in. */
export async function createShopper(
  backend: Backend,
  label = 'shopper',
  groups: string[] = [],
): Promise<Shopper> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'Shopper-Passw0rd!';
  await backend.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: backend.userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await backend.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: backend.userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  for (const group of groups) {
    await backend.cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: backend.userPoolId,
        Username: email,
        GroupName: group,
      }),
    );
  }
  return signIn(backend, email, password);
}
