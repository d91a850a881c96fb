/**
 * Local Cognito user pool: the JSON API (X-Amz-Target AWSCognitoIdentityProviderService.*) that
 * aws-amplify Auth and @aws-sdk/client-cognito-identity-provider speak. Sign-up with a code sent to
 * the local mailbox, SRP and password sign-in, refresh, sign-out, forgot password, admin and group
 * operations; RS256 tokens with Cognito's claims, verifiable through the pool's JWKS. Like Cognito,
 * each app client allows only its `ExplicitAuthFlows`, and the admin actions (AdminCreateUser,
 * ListUsers, CreateUserPoolClient...) need a valid SigV4 signature while the public ones do not.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { awsJsonHandler } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { close, sendJson, serveHttp } from '../kit/http';
import { accountOperations } from './account';
import { adminOperations } from './admin';
import { openAuthFlows } from './auth';
import { CognitoError, type CognitoEngineOptions } from './model';
import { openPool } from './pool';
import { openTokens } from './tokens';

export { CognitoError, type CognitoEngineOptions } from './model';

export interface CognitoEngine extends Engine {
  issuer: string;
  jwksUrl: string;
}

/** Starts the user-pool engine; state and signing keys persist in dataDir. */
export async function start(options: CognitoEngineOptions): Promise<CognitoEngine> {
  const userPool = openPool(options);
  const tokens = await openTokens(userPool);
  const auth = openAuthFlows(userPool, tokens);
  const publicOps = { ...accountOperations(userPool, tokens), ...auth.operations };
  const signedOps = adminOperations(userPool, tokens, auth);
  const { pool, baseUrl, issuer, save, mailer, findUser, setPassword, createUser } = userPool;
  const { publicJwk, kid } = tokens;
  // The admin: created on first start, password and group membership reset on every start.
  if (options.admin) {
    const existing = findUser(options.admin.email);
    const admin =
      existing ??
      (await createUser(
        options.admin.email,
        { email: options.admin.email },
        options.admin.password,
        'CONFIRMED',
      ));
    if (existing) await setPassword(admin, options.admin.password);
    admin.status = 'CONFIRMED';
    admin.attributes['email_verified'] = 'true';
    for (const g of options.admin.groups) if (!admin.groups.includes(g)) admin.groups.push(g);
    save();
  }

  const aws = awsJsonHandler<Record<string, unknown>>({
    target: 'AWSCognitoIdentityProviderService',
    version: '1.1',
    operations: { ...publicOps, ...signedOps },
    signature: {
      credentials: options.credentials,
      region: options.region,
      service: 'cognito-idp',
      unsigned: new Set(Object.keys(publicOps).filter((op) => !Object.hasOwn(signedOps, op))),
      refuse: (code, error) =>
        new CognitoError(
          code,
          error.problem === 'mismatch'
            ? `${error.message} Consult the service documentation for details.`
            : error.message,
          400,
          { cause: error },
        ),
    },
    decode: (body) => {
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new CognitoError('SerializationException', 'Request body must be a JSON object');
      return body as Record<string, unknown>;
    },
    unknownOperation: (target, operation) =>
      operation === undefined
        ? new CognitoError(
            'UnknownOperationException',
            `Unknown operation ${target || '(no X-Amz-Target)'}`,
          )
        : new CognitoError(
            'UnknownOperationException',
            `Operation ${operation} is not supported by the local user pool`,
          ),
    malformed: () => new CognitoError('SerializationException', 'Request body is not valid JSON'),
    internal: (error) =>
      new CognitoError(
        'InternalErrorException',
        error instanceof Error ? error.message : String(error),
        500,
      ),
    errorHeaders: (error) => ({ 'x-amzn-errortype': error.code }),
  });
  const server = await serveHttp({
    engine: 'Cognito',
    host: options.host,
    port: options.port,
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', baseUrl);
      cors(res);
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      if (req.method !== 'GET') return aws(req, res);
      if (url.pathname === `/${pool.id}/.well-known/jwks.json`) {
        return json(res, 200, { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] });
      }
      if (url.pathname === `/${pool.id}/.well-known/openid-configuration`) {
        return json(res, 200, {
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          response_types_supported: ['code', 'token'],
        });
      }
      if (url.pathname === '/health') return json(res, 200, { ok: true });
      throw new CognitoError('ResourceNotFoundException', `No route GET ${url.pathname}`, 404);
    },
    fail: (error, _req, res) => {
      const e =
        error instanceof CognitoError
          ? error
          : new CognitoError(
              'InternalErrorException',
              error instanceof Error ? error.message : String(error),
              500,
            );
      json(res, e.status, { __type: e.type, message: e.message }, e.type);
    },
  });
  return {
    url: baseUrl,
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    stop: async () => {
      mailer.close();
      await close(server);
    },
  };
}

function cors(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  res.setHeader(
    'access-control-allow-headers',
    'content-type, x-amz-target, x-amz-user-agent, authorization, x-amz-date, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, cache-control',
  );
  res.setHeader('access-control-expose-headers', 'x-amzn-requestid, x-amzn-errortype');
}

function json(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  sendJson(res, status, body, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
}
