/**
 * Local Cognito conformance against `npm run local`: the real @aws-sdk/client-cognito-identity-provider
 * and the real aws-amplify v6 Auth (SRP sign-in, its default) go through sign-up, the code from the
 * local mailbox, confirmation, sign-in, refresh and sign-out; bad input gets Cognito's errors. As in
 * AWS, the app's client allows SRP only (password sign-ins go through a client the tests create)
 * and the admin API answers only requests signed with the local credentials.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, localEndpoint } from '../support/backend';
import { testClientId } from '../support/shoppers';

const backend = inject('localBackend');
const auth = backend.outputs['auth'] as { user_pool_id: string; user_pool_client_id: string };
const cognitoUrl = backend.urls['cognito'] ?? '';
const mailboxUrl = backend.urls['mailbox'] ?? '';
const ClientId = auth.user_pool_client_id;
const password = 'Corr3ct-Horse!';
const cognito = new CognitoIdentityProviderClient({
  ...localEndpoint(cognitoUrl),
  maxAttempts: 1,
});
const UserPoolId = auth.user_pool_id;
const issuer = `${cognitoUrl}/${UserPoolId}`;
const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

const uniqueEmail = (tag: string) =>
  `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

/** The newest 6-digit code mailed to an address, waiting for it to arrive. */
async function codeFor(email: string, subject = /./): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${mailboxUrl}/messages?to=${encodeURIComponent(email)}`);
    const { messages } = (await res.json()) as { messages: { subject: string; text: string }[] };
    const match = messages
      .filter((m) => subject.test(m.subject))
      .map((m) => /\b(\d{6})\b/.exec(m.text))[0];
    if (match?.[1]) return match[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No code mailed to ${email}`);
}

/** The tests' own app client, which allows a password sign-in (the app's allows SRP only). */
let PasswordClientId: string;
beforeAll(async () => {
  PasswordClientId = await testClientId(cognito, UserPoolId);
});

async function signedUpUser(tag: string): Promise<string> {
  const email = uniqueEmail(tag);
  await cognito.send(
    new SignUpCommand({
      ClientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  await cognito.send(
    new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: await codeFor(email) }),
  );
  return email;
}

describe('Local Cognito with the AWS SDK', () => {
  it('signs up, mails a code, confirms, signs in, refreshes and signs out', async () => {
    const email = uniqueEmail('sdk');
    const signUpResult = await cognito.send(
      new SignUpCommand({
        ClientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(signUpResult.UserConfirmed).toBe(false);
    expect(signUpResult.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');

    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: PasswordClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    ).rejects.toMatchObject({ name: 'UserNotConfirmedException' });
    await expect(
      cognito.send(
        new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: '000000x' }),
      ),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });

    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId,
        Username: email,
        ConfirmationCode: await codeFor(email),
      }),
    );
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: PasswordClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const tokens = signedIn.AuthenticationResult!;
    const { payload: id } = await jwtVerify(tokens.IdToken!, jwks, {
      issuer,
      audience: PasswordClientId,
    });
    expect(id).toMatchObject({
      email,
      email_verified: true,
      token_use: 'id',
      sub: signUpResult.UserSub,
    });
    expect(id['cognito:username']).toBe(signUpResult.UserSub);
    const { payload: access } = await jwtVerify(tokens.AccessToken!, jwks, { issuer });
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: PasswordClientId,
      username: signUpResult.UserSub,
    });

    const user = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe(email);

    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: PasswordClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    const viaNewApi = await cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: PasswordClientId,
        RefreshToken: tokens.RefreshToken,
      }),
    );
    expect(viaNewApi.AuthenticationResult?.IdToken).toBeTruthy();

    await new Promise((r) => setTimeout(r, 1100));
    await cognito.send(
      new GlobalSignOutCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken }),
    );
    await expect(
      cognito.send(
        new GetUserCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: PasswordClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('resets a forgotten password with a mailed code', async () => {
    const email = await signedUpUser('forgot');
    await cognito.send(new ForgotPasswordCommand({ ClientId, Username: email }));
    const code = await codeFor(email, /reset/i);
    const newPassword = 'N3w-Passw0rd!!';
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId,
        Username: email,
        ConfirmationCode: code,
        Password: newPassword,
      }),
    );
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: PasswordClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const ok = await cognito.send(
      new InitiateAuthCommand({
        ClientId: PasswordClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: newPassword },
      }),
    );
    expect(ok.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it("does not tell whether an address has an account through the app's client, as Cognito with PreventUserExistenceErrors", async () => {
    const nobody = uniqueEmail('nobody');
    // The app's client (ENABLED in the template) answers as if the account existed...
    const forgot = await cognito.send(new ForgotPasswordCommand({ ClientId, Username: nobody }));
    expect(forgot.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
    const resent = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId, Username: nobody }),
    );
    expect(resent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
    for (const confirm of [
      new ConfirmSignUpCommand({ ClientId, Username: nobody, ConfirmationCode: '123456' }),
      new ConfirmForgotPasswordCommand({
        ClientId,
        Username: nobody,
        ConfirmationCode: '123456',
        Password: 'N3w-Passw0rd!!',
      }),
    ]) {
      await expect(cognito.send(confirm as never)).rejects.toMatchObject({
        name: 'CodeMismatchException',
      });
    }
    // ...mails nothing and creates nobody.
    const res = await fetch(`${mailboxUrl}/messages?to=${encodeURIComponent(nobody)}`);
    expect(((await res.json()) as { messages: unknown[] }).messages).toEqual([]);
    const listed = await cognito.send(
      new ListUsersCommand({ UserPoolId, Filter: `email = "${nobody}"` }),
    );
    expect(listed.Users).toEqual([]);
    // A client created through the API defaults to LEGACY, which says so.
    await expect(
      cognito.send(new ForgotPasswordCommand({ ClientId: PasswordClientId, Username: nobody })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
    // One created with ENABLED behaves like the app's, and says which it is.
    const { UserPoolClient: quiet } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'quiet-about-users',
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    expect(quiet?.PreventUserExistenceErrors).toBe('ENABLED');
    await expect(
      cognito.send(new ForgotPasswordCommand({ ClientId: quiet?.ClientId, Username: nobody })),
    ).resolves.toMatchObject({ CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } });
  });

  it('refuses a duplicate email, a weak password and a wrong password with Cognito errors', async () => {
    const email = await signedUpUser('dup');
    await expect(
      cognito.send(new SignUpCommand({ ClientId, Username: email, Password: password })),
    ).rejects.toMatchObject({ name: 'UsernameExistsException' });
    await expect(
      cognito.send(
        new SignUpCommand({ ClientId, Username: uniqueEmail('weak'), Password: 'short' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await expect(
      cognito.send(new SignUpCommand({ ClientId, Username: 'not-an-email', Password: password })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: PasswordClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: 'Wr0ng-password!' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(
      cognito.send(
        new SignUpCommand({
          ClientId: 'unknown-client',
          Username: uniqueEmail('x'),
          Password: password,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses a forged or expired access token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'someone', token_use: 'access', client_id: ClientId })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(cognito.send(new GetUserCommand({ AccessToken: forged }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(
      cognito.send(new GetUserCommand({ AccessToken: 'not.a.jwt' })),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    void exportJWK;
  });

  it('answers a body over 1 MB with an error and stays up', async () => {
    const res = await fetch(cognitoUrl, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({
        ClientId,
        Username: 'x@example.com',
        Password: 'p'.repeat(1_200_000),
      }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { __type: string }).__type).toBe(
      'RequestEntityTooLargeException',
    );
    const malformed = await fetch(cognitoUrl, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: '{not json',
    });
    expect(((await malformed.json()) as { __type: string }).__type).toBe('SerializationException');
    await expect(signedUpUser('alive')).resolves.toContain('@example.com');
  });

  it('creates the admin from LOCAL_ADMIN_EMAIL in the ADMINS group', async () => {
    const admin = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: auth.user_pool_id, Username: backend.admin.email }),
    );
    expect(admin.UserStatus).toBe('CONFIRMED');
    const groups = await cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: auth.user_pool_id,
        Username: backend.admin.email,
      }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['ADMINS']);
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: PasswordClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: backend.admin.email, PASSWORD: backend.admin.password },
      }),
    );
    const { payload } = await jwtVerify(signedIn.AuthenticationResult!.AccessToken!, jwks, {
      issuer,
    });
    expect(payload['cognito:groups']).toEqual(['ADMINS']);
  });
});

describe('Local Cognito: a shopper changes their email and verifies it', () => {
  const signedInAs = async (email: string): Promise<string> => {
    const answer = await cognito.send(
      new InitiateAuthCommand({
        ClientId: PasswordClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return answer.AuthenticationResult?.AccessToken ?? '';
  };
  const emailOf = async (AccessToken: string) => {
    const user = await cognito.send(new GetUserCommand({ AccessToken }));
    const value = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
    return { email: value('email'), verified: value('email_verified') };
  };

  it('mails a code to the new address, which verifies it; a wrong code verifies nothing', async () => {
    const AccessToken = await signedInAs(await signedUpUser('change'));
    const changed = uniqueEmail('changed');
    const update = await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: 'email', Value: changed }],
      }),
    );
    expect(update.CodeDeliveryDetailsList).toEqual([
      { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: expect.stringMatching(/\*/) },
    ]);
    expect(await emailOf(AccessToken)).toEqual({ email: changed, verified: 'false' });

    await expect(
      cognito.send(
        new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: '000000x' }),
      ),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect((await emailOf(AccessToken)).verified).toBe('false');

    await cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken,
        AttributeName: 'email',
        Code: await codeFor(changed),
      }),
    );
    expect(await emailOf(AccessToken)).toEqual({ email: changed, verified: 'true' });
  });

  it('GetUserAttributeVerificationCode mails a fresh code for email and refuses other attributes', async () => {
    const email = await signedUpUser('resend');
    const AccessToken = await signedInAs(email);
    const sent = await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }),
    );
    expect(sent.CodeDeliveryDetails).toMatchObject({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
    });
    expect(sent.CodeDeliveryDetails?.Destination).not.toBe(email);
    await cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken,
        AttributeName: 'email',
        Code: await codeFor(email),
      }),
    );
    for (const AttributeName of ['phone_number', 'name', 'cognito:groups']) {
      await expect(
        cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName })),
      ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
    await expect(
      cognito.send(
        new GetUserAttributeVerificationCodeCommand({
          AccessToken: 'not-a-token',
          AttributeName: 'email',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('a code mailed to one address does not verify another the email was changed to since', async () => {
    const email = await signedUpUser('rebound');
    const AccessToken = await signedInAs(email);
    await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }),
    );
    const oldCode = await codeFor(email);
    // An operator changes the address (no code is mailed for an admin change).
    const stranger = uniqueEmail('stranger');
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: stranger }],
      }),
    );
    await expect(
      cognito.send(
        new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: oldCode }),
      ),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(await emailOf(AccessToken)).toEqual({ email: stranger, verified: 'false' });
  });
});

/** Sends one Cognito action as raw JSON, without any signature. */
async function unsigned(action: string, body: object): Promise<{ status: number; type: string }> {
  const res = await fetch(cognitoUrl, {
    method: 'POST',
    headers: {
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      'content-type': 'application/x-amz-json-1.1',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: ((await res.json()) as { __type?: string }).__type ?? '' };
}

/** A GraphQL call to the local AppSync with a user-pool token. */
async function graphqlAs(token: string, query: string): Promise<Record<string, unknown>> {
  const res = await fetch((backend.outputs['data'] as { url: string }).url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, ...((await res.json()) as Record<string, unknown>) };
}

describe('Local Cognito app clients and signed admin calls', () => {
  it("refuses a password sign-in through the app's client, which allows SRP only, with Cognito's error", async () => {
    const described = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId, ClientId }),
    );
    expect(described.UserPoolClient?.ExplicitAuthFlows?.sort()).toEqual([
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    const email = await signedUpUser('flow');
    // The flow is refused before the password is looked at: a right one gets the same answer.
    for (const attempt of [password, 'Wr0ng-password!']) {
      await expect(
        cognito.send(
          new InitiateAuthCommand({
            ClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: attempt },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(
      cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId,
          ClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client',
    });
    // The tests' password client, in turn, has no SRP.
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: PasswordClientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: email, SRP_A: 'ab'.repeat(192) },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'USER_SRP_AUTH flow not enabled for this client',
    });
  });

  it('creates an app client that signs in with a password, whose tokens AppSync accepts', async () => {
    const ClientName = `password-${Date.now()}`;
    const created = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const newClientId = created.UserPoolClient?.ClientId ?? '';
    expect(newClientId).toMatch(/^[a-z0-9]{26}$/);
    const described = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId, ClientId: newClientId }),
    );
    expect(described.UserPoolClient).toMatchObject({
      ClientName,
      ClientId: newClientId,
      UserPoolId,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const listed = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId }));
    expect(listed.UserPoolClients?.map((c) => c.ClientId)).toEqual(
      expect.arrayContaining([ClientId, newClientId]),
    );

    const email = await signedUpUser('new-client');
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: newClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const tokens = signedIn.AuthenticationResult!;
    const { payload } = await jwtVerify(tokens.IdToken!, jwks, { issuer, audience: newClientId });
    expect(payload['email']).toBe(email);

    // AppSync (no AppIdClientRegex in the template) takes tokens of any client of the pool.
    for (const token of [tokens.IdToken!, tokens.AccessToken!]) {
      const answer = await graphqlAs(token, '{ listOrders { items { id } } }');
      expect(answer).toMatchObject({ status: 200, data: { listOrders: { items: [] } } });
      expect(answer['errors']).toBeUndefined();
    }
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: newClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }),
    );
    expect(refreshed.AuthenticationResult?.IdToken).toBeTruthy();
    // A refresh token belongs to the client that got it.
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('refuses an app client with unknown or mixed auth flows, and one asked for unsigned', async () => {
    for (const ExplicitAuthFlows of [
      ['ALLOW_PASSWORDS'],
      ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
    ]) {
      await expect(
        cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId,
            ClientName: 'refused',
            ExplicitAuthFlows: ExplicitAuthFlows as never,
          }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
    const ClientName = `unsigned-${Date.now()}`;
    expect(
      await unsigned('CreateUserPoolClient', {
        UserPoolId,
        ClientName,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    ).toEqual({ status: 400, type: 'MissingAuthenticationTokenException' });
    const listed = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId }));
    const names = listed.UserPoolClients?.map((c) => c.ClientName);
    expect(names).not.toContain(ClientName);
    expect(names).not.toContain('refused');
  });

  it('refuses an unsigned or wrongly signed AdminCreateUser and creates nothing; SignUp needs no signature', async () => {
    const email = uniqueEmail('unsigned-admin');
    const request = {
      UserPoolId,
      Username: email,
      MessageAction: 'SUPPRESS' as const,
      UserAttributes: [{ Name: 'email', Value: email }],
    };
    expect(await unsigned('AdminCreateUser', request)).toEqual({
      status: 400,
      type: 'MissingAuthenticationTokenException',
    });
    const wrongSecret = new CognitoIdentityProviderClient({
      ...localEndpoint(cognitoUrl),
      credentials: { ...LOCAL_CREDENTIALS, secretAccessKey: 'not-the-local-secret' },
      maxAttempts: 1,
    });
    await expect(wrongSecret.send(new AdminCreateUserCommand(request))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 400 },
    });
    const unknownKey = new CognitoIdentityProviderClient({
      ...localEndpoint(cognitoUrl),
      credentials: { ...LOCAL_CREDENTIALS, accessKeyId: 'AKIDSOMEONEELSE' },
      maxAttempts: 1,
    });
    await expect(unknownKey.send(new AdminCreateUserCommand(request))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 400 },
    });
    wrongSecret.destroy();
    unknownKey.destroy();

    // Nothing was created, as the properly signed admin API shows.
    const found = await cognito.send(
      new ListUsersCommand({ UserPoolId, Filter: `email = "${email}"` }),
    );
    expect(found.Users).toEqual([]);
    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });

    // The public actions the Authenticator calls stay unsigned.
    const signUp = await unsigned('SignUp', {
      ClientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    expect(signUp).toEqual({ status: 200, type: '' });
  });
});

describe('Local Cognito with aws-amplify Auth', () => {
  beforeAll(() => {
    Amplify.configure(backend.outputs as Parameters<typeof Amplify.configure>[0]);
    // aws-amplify reads userPoolEndpoint from its config only, not from amplify_outputs.json.
    const config = Amplify.getConfig();
    const userPool = config.Auth?.Cognito as { userPoolId: string; userPoolClientId: string };
    Amplify.configure({
      ...config,
      Auth: { Cognito: { ...userPool, userPoolEndpoint: cognitoUrl } },
    });
  });

  it('signs up, confirms with the mailed code, signs in with SRP, refreshes and signs out', async () => {
    const email = uniqueEmail('amplify');
    const up = await signUp({ username: email, password, options: { userAttributes: { email } } });
    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({
      username: email,
      confirmationCode: await codeFor(email),
    });
    expect(confirmed.isSignUpComplete).toBe(true);

    const result = await signIn({ username: email, password });
    expect(result.isSignedIn).toBe(true);
    const session = await fetchAuthSession();
    expect(session.tokens?.idToken?.payload['email']).toBe(email);
    const first = session.tokens?.accessToken.toString();

    await new Promise((r) => setTimeout(r, 1100));
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    expect(refreshed.tokens?.accessToken.toString()).not.toBe(first);
    expect(refreshed.tokens?.accessToken.payload['sub']).toBe(up.userId);

    await signOut({ global: true });
    const after = await fetchAuthSession();
    expect(after.tokens).toBeUndefined();
  });

  it('refuses a wrong password through SRP', async () => {
    await signOut();
    const email = await signedUpUser('srp-wrong');
    await expect(signIn({ username: email, password: 'Wr0ng-password!' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});
