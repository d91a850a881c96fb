/**
 * Hardening: the local Cognito refuses what Cognito refuses. Self-sign-up and attribute updates
 * take only the pool's schema attributes (never `cognito:groups`, `sub`, the verified flags or
 * any reserved claim), tokens carry the pool's own claims whatever a user set, admin actions need
 * a valid signature, and repeated wrong passwords lock the account out for a growing time.
 */
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backendAnswers, rawGraphql } from '../support/attack';
import { connectBackend, LOCAL_CREDENTIALS, localEndpoint, type Backend } from '../support/backend';
import { createShopper, testClientId, type Shopper, claimsOf } from '../support/shoppers';

let backend: Backend;
let shopper: Shopper;
const password = 'Corr3ct-Horse!';
const unique = (tag: string) =>
  `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
beforeAll(async () => {
  backend = await connectBackend(inject('localBackend').outputs);
  shopper = await createShopper(backend, 'hardening-cognito');
});

afterAll(() => backend?.close());

async function usersNamed(email: string): Promise<number> {
  const found = await backend.cognito.send(
    new ListUsersCommand({ UserPoolId: backend.userPoolId, Filter: `email = "${email}"` }),
  );
  return found.Users?.length ?? 0;
}

const FORBIDDEN_SIGN_UP_ATTRIBUTES: [string, string, RegExp][] = [
  ['cognito:groups', 'ADMINS', /Type for attribute \{cognito:groups\} could not be determined/],
  ['cognito:username', 'admin', /could not be determined/],
  ['cognito:roles', 'arn:aws:iam::000000000000:role/admin', /could not be determined/],
  ['custom:role', 'admin', /could not be determined/],
  ['groups', 'ADMINS', /could not be determined/],
  ['token_use', 'access', /could not be determined/],
  ['iss', 'https://evil.example.com', /could not be determined/],
  ['aud', 'other-client', /could not be determined/],
  ['username', 'admin@example.com', /could not be determined/],
  ['sub', '00000000-0000-0000-0000-000000000000', /sub: Attribute cannot be updated/],
  ['email_verified', 'true', /unauthorized attribute/],
  ['phone_number_verified', 'true', /unauthorized attribute/],
];

describe('hardening: sign-up takes only the pool schema attributes', () => {
  it.each(FORBIDDEN_SIGN_UP_ATTRIBUTES)(
    'SignUp with %s is refused and creates nobody',
    async (name, value, message) => {
      const email = unique('attr');
      await expect(
        backend.cognito.send(
          new SignUpCommand({
            ClientId: backend.userPoolClientId,
            Username: email,
            Password: password,
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: name, Value: value },
            ],
          }),
        ),
      ).rejects.toThrow(message);
      expect(await usersNamed(email)).toBe(0);
    },
  );

  it('a standard attribute of the schema is accepted and lands in the id token, the claims stay the pool’s', async () => {
    const email = unique('named');
    await backend.cognito.send(
      new SignUpCommand({
        ClientId: backend.userPoolClientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'name', Value: 'Grace Hopper' },
        ],
      }),
    );
    await backend.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: backend.userPoolId, Username: email }),
    );
    const signedIn = await backend.cognito.send(
      new InitiateAuthCommand({
        ClientId: await testClientId(backend.cognito, backend.userPoolId),
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const claims = claimsOf(signedIn.AuthenticationResult?.IdToken ?? '');
    expect(claims).toMatchObject({ name: 'Grace Hopper', token_use: 'id', email });
    expect(claims).not.toHaveProperty('cognito:groups');
  });
});

describe('hardening: attribute updates cannot reach groups or reserved claims', () => {
  it.each(FORBIDDEN_SIGN_UP_ATTRIBUTES)(
    'UpdateUserAttributes with %s is refused',
    async (name, value, message) => {
      await expect(
        backend.cognito.send(
          new UpdateUserAttributesCommand({
            AccessToken: shopper.accessToken,
            UserAttributes: [{ Name: name, Value: value }],
          }),
        ),
      ).rejects.toThrow(message);
    },
  );

  it.each([
    ['cognito:groups', 'ADMINS'],
    ['custom:role', 'admin'],
    ['sub', 'someone-else'],
    ['token_use', 'access'],
  ])('AdminUpdateUserAttributes with %s is refused too', async (name, value) => {
    await expect(
      backend.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: backend.userPoolId,
          Username: shopper.email,
          UserAttributes: [{ Name: name, Value: value }],
        }),
      ),
    ).rejects.toThrow(/did not conform to the schema/);
  });

  it('after every attempt, a fresh sign-in still carries no group and the pool’s own claims', async () => {
    const again = await backend.cognito.send(
      new InitiateAuthCommand({
        ClientId: await testClientId(backend.cognito, backend.userPoolId),
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: shopper.email, PASSWORD: shopper.password },
      }),
    );
    for (const token of [
      again.AuthenticationResult?.IdToken,
      again.AuthenticationResult?.AccessToken,
    ]) {
      const claims = claimsOf(token ?? '');
      expect(claims).not.toHaveProperty('cognito:groups');
      expect(claims['sub']).toBe(shopper.sub);
      expect(String(claims['iss'])).toContain(backend.userPoolId);
    }
  });
});

describe('hardening: Cognito admin actions need a valid signature', () => {
  const ADMIN_CALLS: [string, () => object][] = [
    [
      'AdminCreateUser',
      () =>
        new AdminCreateUserCommand({
          UserPoolId: backend.userPoolId,
          Username: unique('intruder'),
        }),
    ],
    [
      'AdminAddUserToGroup (ADMINS)',
      () =>
        new AdminAddUserToGroupCommand({
          UserPoolId: backend.userPoolId,
          Username: shopper.email,
          GroupName: 'ADMINS',
        }),
    ],
    [
      'AdminSetUserPassword',
      () =>
        new AdminSetUserPasswordCommand({
          UserPoolId: backend.userPoolId,
          Username: shopper.email,
          Password: 'Taken-Over-1!',
          Permanent: true,
        }),
    ],
    [
      'AdminGetUser',
      () => new AdminGetUserCommand({ UserPoolId: backend.userPoolId, Username: shopper.email }),
    ],
    ['ListUsers', () => new ListUsersCommand({ UserPoolId: backend.userPoolId })],
    [
      'AdminUpdateUserAttributes',
      () =>
        new AdminUpdateUserAttributesCommand({
          UserPoolId: backend.userPoolId,
          Username: shopper.email,
          UserAttributes: [{ Name: 'email_verified', Value: 'false' }],
        }),
    ],
    [
      'CreateUserPoolClient',
      () =>
        new CreateUserPoolClientCommand({
          UserPoolId: backend.userPoolId,
          ClientName: 'intruder',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        }),
    ],
    [
      'AdminDeleteUser',
      () => new AdminDeleteUserCommand({ UserPoolId: backend.userPoolId, Username: shopper.email }),
    ],
    [
      'AdminUserGlobalSignOut',
      () =>
        new AdminUserGlobalSignOutCommand({
          UserPoolId: backend.userPoolId,
          Username: shopper.email,
        }),
    ],
    [
      'AdminInitiateAuth',
      () =>
        new AdminInitiateAuthCommand({
          UserPoolId: backend.userPoolId,
          ClientId: backend.userPoolClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: shopper.email, PASSWORD: shopper.password },
        }),
    ],
  ];
  const clients = {
    'a wrong secret': { ...LOCAL_CREDENTIALS, secretAccessKey: 'wrong-secret' },
    'an unknown access key': { accessKeyId: 'AKIAINTRUDER', secretAccessKey: 'whatever' },
  };

  it.each(
    ADMIN_CALLS.flatMap(([name, make]) =>
      Object.entries(clients).map(([how, credentials]) => [name, how, make, credentials] as const),
    ),
  )('%s signed with %s is refused', async (_name, _how, make, credentials) => {
    const client = new CognitoIdentityProviderClient({
      ...localEndpoint(backend.endpoints.cognito),
      credentials,
      maxAttempts: 1,
    });
    await expect(client.send(make() as never)).rejects.toThrow(
      /signature we calculated|security token included in the request is invalid/,
    );
    client.destroy();
  });

  it.each(ADMIN_CALLS)('%s unsigned is refused', async (name) => {
    const response = await fetch(backend.endpoints.cognito, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${name.split(' ')[0]}`,
      },
      body: JSON.stringify({ UserPoolId: backend.userPoolId, Username: shopper.email }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/MissingAuthenticationTokenException/);
  });

  it('the shopper is untouched: still no group, still signs in with the same password', async () => {
    const user = await backend.cognito.send(
      new AdminGetUserCommand({ UserPoolId: backend.userPoolId, Username: shopper.email }),
    );
    expect(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value).toBe('true');
    const groups = await backend.cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: backend.userPoolId,
        Username: shopper.email,
      }),
    );
    expect(groups.Groups).toEqual([]);
  });
});

describe('hardening: repeated wrong passwords lock the account out', () => {
  const signIn = async (email: string, pass: string) =>
    backend.cognito.send(
      new InitiateAuthCommand({
        ClientId: await testClientId(backend.cognito, backend.userPoolId),
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: pass },
      }),
    );

  it('after ten wrong passwords, the right one is refused: Password attempts exceeded', async () => {
    const victim = await createShopper(backend, 'lockout');
    const answers: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      answers.push(
        await signIn(victim.email, `Wrong-Guess-${i}!`).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      );
    }
    // The first five are plain failures; then the account is locked (1 s, doubling each time).
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('Incorrect username or password.'));
    expect(answers.slice(5)).toContain('Password attempts exceeded');
    await expect(signIn(victim.email, victim.password)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
  });

  it('twenty wrong passwords sent at once lock the account as if sent one by one', async () => {
    const victim = await createShopper(backend, 'lockout-burst');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signIn(victim.email, `Burst-Guess-${i}!`).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      ),
    );
    // Only the five free failures were checked against the password; the rest met the lockout.
    expect(answers.filter((a) => a === 'Incorrect username or password.')).toHaveLength(5);
    expect(answers.filter((a) => a === 'Password attempts exceeded')).toHaveLength(15);
    await expect(signIn(victim.email, victim.password)).rejects.toThrow(
      'Password attempts exceeded',
    );
  });

  it('four wrong passwords are forgiven by the right one, which also resets the count', async () => {
    const shopperB = await createShopper(backend, 'forgiven');
    for (let i = 0; i < 4; i += 1) {
      await expect(signIn(shopperB.email, `Wrong-${i}!`)).rejects.toThrow(
        'Incorrect username or password.',
      );
    }
    await expect(signIn(shopperB.email, shopperB.password)).resolves.toHaveProperty(
      'AuthenticationResult',
    );
    for (let i = 0; i < 4; i += 1) {
      await expect(signIn(shopperB.email, `Wrong-again-${i}!`)).rejects.toThrow(
        'Incorrect username or password.',
      );
    }
  });

  it('a locked-out shopper cannot get in through the admin password flow either', async () => {
    const victim = await createShopper(backend, 'locked-admin-flow');
    for (let i = 0; i < 8; i += 1) await signIn(victim.email, `Nope-${i}!`).catch(() => undefined);
    const pwdClient = await backend.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: backend.userPoolId,
        ClientName: `hardening-admin-flow-${Date.now()}`,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    await expect(
      backend.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: backend.userPoolId,
          ClientId: pwdClient.UserPoolClient?.ClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: victim.email, PASSWORD: victim.password },
        }),
      ),
    ).rejects.toThrow('Password attempts exceeded');
  });

  it('the backend still answers', async () => {
    expect(await backendAnswers(backend)).toBe(true);
    const answer = await rawGraphql(
      backend,
      { query: 'query { listOrders { items { id } } }' },
      { token: shopper.accessToken },
    );
    expect(answer.status).toBe(200);
  });
});
