/**
 * Shoppers for tests and benchmarks: a confirmed user created with the Cognito admin API (these
 * tests are not about sign-up), signed in with USER_PASSWORD_AUTH (the local Cognito has no SRP).
 */
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
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

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

/** Signs an existing user in and returns their tokens. */
export async function signIn(backend: Backend, email: string, password: string): Promise<Shopper> {
  const auth = await backend.cognito.send(
    new InitiateAuthCommand({
      ClientId: backend.userPoolClientId,
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
