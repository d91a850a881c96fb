/** Tokens: the pool's RS256 signing key (kept across restarts), issuing, checking and refreshing. */
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import {
  isReservedClaim,
  REFRESH_TTL_S,
  fail,
  type StoredUser,
  type StoredRefreshToken,
} from './model';
import type { UserPool } from './pool';

/** Loads or creates the signing key, and issues and checks the pool's tokens with it. */
export async function openTokens(userPool: UserPool) {
  const { issuer, accessSeconds, keyFile, state, save } = userPool;
  let privateJwk: JWK;
  const savedKey = keyFile.read();
  if (savedKey) privateJwk = savedKey;
  else {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateJwk = {
      ...(await exportJWK(pair.privateKey)),
      kid: randomUUID(),
      alg: 'RS256',
      use: 'sig',
    };
    keyFile.save(privateJwk, { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, 'RS256');
  const publicKey = await importJWK(publicJwk, 'RS256');
  const kid = String(privateJwk.kid);

  const issueTokens = async (
    user: StoredUser,
    clientId: string,
    withRefresh: boolean,
    authTime = Math.floor(Date.now() / 1000),
  ): Promise<Record<string, unknown>> => {
    const now = Math.floor(Date.now() / 1000);
    const originJti = randomUUID();
    const groups = user.groups.length > 0 ? { 'cognito:groups': user.groups } : {};
    const accessToken = await new SignJWT({
      sub: user.username,
      ...groups,
      iss: issuer,
      client_id: clientId,
      origin_jti: originJti,
      event_id: randomUUID(),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: authTime,
      jti: randomUUID(),
      username: user.username,
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt(now)
      .setExpirationTime(now + accessSeconds)
      .sign(privateKey);
    const idToken = await new SignJWT({
      // The user's attributes first and never a reserved name, so nothing a user could set
      // stands in for the claims the pool itself vouches for.
      ...Object.fromEntries(
        Object.entries(user.attributes).filter(([name]) => !isReservedClaim(name)),
      ),
      sub: user.username,
      ...groups,
      email_verified: user.attributes['email_verified'] === 'true',
      iss: issuer,
      'cognito:username': user.username,
      origin_jti: originJti,
      aud: clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: authTime,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt(now)
      .setExpirationTime(now + accessSeconds)
      .sign(privateKey);
    const result: Record<string, unknown> = {
      AccessToken: accessToken,
      ExpiresIn: accessSeconds,
      TokenType: 'Bearer',
      IdToken: idToken,
    };
    if (withRefresh) {
      const refresh = randomBytes(48).toString('base64url');
      state.refreshTokens[refresh] = {
        username: user.username,
        clientId,
        issuedAt: now,
        revoked: false,
      };
      save();
      result['RefreshToken'] = refresh;
    }
    return result;
  };

  const userFromAccessToken = async (token: unknown): Promise<StoredUser> => {
    if (typeof token !== 'string' || !token) fail('NotAuthorizedException', 'Invalid Access Token');
    let payload;
    try {
      ({ payload } = await jwtVerify(token as string, publicKey, { issuer }));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      fail('NotAuthorizedException', expired ? 'Access Token has expired' : 'Invalid Access Token');
    }
    if (payload?.['token_use'] !== 'access') fail('NotAuthorizedException', 'Invalid Access Token');
    const user = state.users[String(payload?.sub)];
    if (!user) fail('NotAuthorizedException', 'Invalid Access Token');
    if ((payload?.iat ?? 0) < (user as StoredUser).tokensValidAfter) {
      fail('NotAuthorizedException', 'Access Token has been revoked');
    }
    return user as StoredUser;
  };

  const refreshWith = async (
    token: unknown,
    clientId: string,
  ): Promise<Record<string, unknown>> => {
    const stored = typeof token === 'string' ? state.refreshTokens[token] : undefined;
    if (!stored || stored.clientId !== clientId)
      fail('NotAuthorizedException', 'Invalid Refresh Token');
    const s = stored as StoredRefreshToken;
    const user = state.users[s.username];
    if (s.revoked || !user || s.issuedAt < user.tokensValidAfter) {
      fail('NotAuthorizedException', 'Refresh Token has been revoked');
    }
    if (s.issuedAt + REFRESH_TTL_S < Date.now() / 1000)
      fail('NotAuthorizedException', 'Refresh Token has expired');
    if (!user!.enabled) fail('NotAuthorizedException', 'User is disabled.');
    return issueTokens(user as StoredUser, clientId, false);
  };

  return { issueTokens, userFromAccessToken, refreshWith, publicJwk, kid };
}

/** What the operations use of the tokens. */
export type Tokens = Awaited<ReturnType<typeof openTokens>>;
