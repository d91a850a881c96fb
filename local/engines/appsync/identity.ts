import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppSyncRequestError } from './errors';
import type { AuthMode } from './schema';
import { SignatureError, verifySigV4, type SignedRequest } from '../kit/sigv4';

/** Who is calling, once their credentials checked out. */
export type Caller =
  | { mode: 'apiKey'; sourceIp: string }
  | {
      mode: 'userPool';
      sourceIp: string;
      sub: string;
      username: string;
      groups: string[];
      issuer: string;
      claims: JWTPayload;
    }
  | { mode: 'iam'; sourceIp: string; accessKeyId: string };

/**
 * The user pool whose tokens the API accepts. Like AppSync, any app client of the pool is accepted
 * unless the API declares `AppIdClientRegex`, which the token's client id must then match.
 */
export interface CognitoAuthSettings {
  issuer: string;
  jwksUrl: string;
  appIdClientRegex?: string;
}

/** How the engine checks credentials: the API key, the user pool's JWKS and the local IAM keys. */
export interface AuthSettings {
  apiKey: string;
  cognito?: CognitoAuthSettings;
  iam?: { accessKeyId: string; secretAccessKey: string };
  accountId?: string;
}

const unauthorizedCall = (message: string) =>
  new AppSyncRequestError(401, 'UnauthorizedException', message);

/** Checks the credentials of one HTTP request or realtime message and tells who the caller is. */
export class Authenticator {
  private readonly jwks;

  private readonly appIdClient: RegExp | undefined;

  constructor(private readonly settings: AuthSettings) {
    const regex = settings.cognito?.appIdClientRegex;
    // Anchored: the whole client id must match, as a Java `matches()` would.
    this.appIdClient = regex ? new RegExp(`^(?:${regex})$`) : undefined;
    this.jwks = settings.cognito
      ? createRemoteJWKSet(new URL(settings.cognito.jwksUrl), { cooldownDuration: 1_000 })
      : undefined;
  }

  /** `headers` are lower- or mixed-case; `signed` is the request as signed, for IAM. */
  async authenticate(
    headers: Record<string, string | undefined>,
    signed: SignedRequest,
    sourceIp: string,
  ): Promise<Caller> {
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers))
      if (typeof v === 'string') lower[k.toLowerCase()] = v;
    const authorization = lower['authorization'];
    if (authorization && authorization.startsWith('AWS4-HMAC-SHA256')) {
      return this.iam(signed, sourceIp);
    }
    if (authorization) return this.userPool(authorization.replace(/^Bearer\s+/i, ''), sourceIp);
    const apiKey = lower['x-api-key'];
    if (apiKey !== undefined) {
      if (apiKey !== this.settings.apiKey)
        throw unauthorizedCall('You are not authorized to make this call.');
      return { mode: 'apiKey', sourceIp };
    }
    throw unauthorizedCall('Valid authorization header not provided.');
  }

  private async iam(signed: SignedRequest, sourceIp: string): Promise<Caller> {
    const iam = this.settings.iam;
    if (!iam) throw unauthorizedCall('IAM authorization is not configured for this API.');
    try {
      const { accessKeyId } = await verifySigV4(signed, (id) =>
        id === iam.accessKeyId ? iam.secretAccessKey : undefined,
      );
      return { mode: 'iam', sourceIp, accessKeyId };
    } catch (error) {
      if (error instanceof SignatureError)
        throw new AppSyncRequestError(401, 'UnauthorizedException', error.message);
      throw error;
    }
  }

  private async userPool(token: string, sourceIp: string): Promise<Caller> {
    const cognito = this.settings.cognito;
    if (!cognito || !this.jwks)
      throw unauthorizedCall('Cognito User Pools authorization is not configured.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { issuer: cognito.issuer }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthorizedCall('Token has expired.');
      if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
        throw unauthorizedCall('Unable to parse JWT token.');
      }
      if (error instanceof joseErrors.JOSEError)
        throw unauthorizedCall('Valid authorization header not provided.');
      // The JWKS could not be fetched: the user pool is down, which is not the caller's fault.
      throw new AppSyncRequestError(
        500,
        'InternalFailure',
        'Unable to verify the token: the JWKS is unreachable.',
      );
    }
    const use = payload['token_use'];
    if (use !== 'access' && use !== 'id')
      throw unauthorizedCall('Valid authorization header not provided.');
    const audience = use === 'access' ? payload['client_id'] : payload.aud;
    const clientIds = (Array.isArray(audience) ? audience : [audience]).map(String);
    if (this.appIdClient && !clientIds.some((id) => this.appIdClient?.test(id))) {
      throw unauthorizedCall('Valid authorization header not provided.');
    }
    const username = String(payload['cognito:username'] ?? payload['username'] ?? '');
    const rawGroups = payload['cognito:groups'];
    return {
      mode: 'userPool',
      sourceIp,
      sub: String(payload.sub ?? ''),
      username,
      groups: Array.isArray(rawGroups) ? rawGroups.map(String) : [],
      issuer: String(payload.iss ?? ''),
      claims: payload,
    };
  }

  /** `$ctx.identity` as AppSync hands it to resolvers and Lambda functions. */
  identityOf(caller: Caller): Record<string, unknown> | null {
    switch (caller.mode) {
      case 'apiKey':
        return null;
      case 'userPool':
        return {
          sub: caller.sub,
          issuer: caller.issuer,
          username: caller.username,
          claims: caller.claims,
          sourceIp: [caller.sourceIp],
          defaultAuthStrategy: 'ALLOW',
          groups: caller.groups.length > 0 ? caller.groups : null,
        };
      case 'iam': {
        const account = this.settings.accountId ?? '000000000000';
        return {
          accountId: account,
          cognitoIdentityPoolId: null,
          cognitoIdentityId: null,
          sourceIp: [caller.sourceIp],
          username: caller.accessKeyId,
          userArn: `arn:aws:sts::${account}:assumed-role/local/${caller.accessKeyId}`,
          cognitoIdentityAuthType: null,
          cognitoIdentityAuthProvider: null,
        };
      }
    }
  }
}

/** The groups a caller belongs to (only user-pool callers have any). */
export const groupsOf = (caller: Caller): string[] =>
  caller.mode === 'userPool' ? caller.groups : [];

/** The auth mode of a caller, for directive checks. */
export const modeOf = (caller: Caller): AuthMode => caller.mode;
