/**
 * Local Cognito user pool: the JSON API (X-Amz-Target AWSCognitoIdentityProviderService.*) that
 * aws-amplify Auth and @aws-sdk/client-cognito-identity-provider speak. Sign-up with a code sent to
 * the local mailbox, SRP and password sign-in, refresh, sign-out, forgot password, admin and group
 * operations; RS256 tokens with Cognito's claims, verifiable through the pool's JWKS. Like Cognito,
 * each app client allows only its `ExplicitAuthFlows`, and the admin actions (AdminCreateUser,
 * ListUsers, CreateUserPoolClient...) need a valid SigV4 signature while the public ones do not.
 */
import { randomBytes, randomInt, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { ServerResponse } from 'node:http';
import nodemailer from 'nodemailer';
import { STANDARD_USER_ATTRIBUTES, type UserPoolModel } from '../../assembly';
import { AwsError, awsJsonHandler } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { close, sendJson, serveHttp } from '../kit/http';
import { Snapshot } from '../kit/journal';
import {
  clientAllowsFlow,
  DEFAULT_AUTH_FLOWS,
  explicitAuthFlowsProblem,
  isAuthFlow,
} from './flows';
import {
  createVerifier,
  startExchange,
  verifyClaim,
  type SrpSession,
  type SrpVerifier,
} from './srp';

export interface CognitoEngineOptions {
  port: number;
  host: string;
  dataDir: string;
  pool: UserPoolModel;
  region: string;
  /** The local IAM credentials: admin actions must be signed with them. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  smtp: { host: string; port: number };
  /** An admin created (or reset) at start, member of these groups. */
  admin?: { email: string; password: string; groups: string[] };
  accessTokenSeconds?: number;
}

export interface CognitoEngine extends Engine {
  issuer: string;
  jwksUrl: string;
}

type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

interface StoredUser {
  username: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  passwordHash: string;
  srp: SrpVerifier;
  groups: string[];
  createdAt: number;
  updatedAt: number;
  /** Tokens issued before this time (seconds) are refused: GlobalSignOut. */
  tokensValidAfter: number;
  /** Codes sent by email; an `email` code verifies only the address it was sent to (`address`). */
  codes: { purpose: CodePurpose; code: string; expiresAt: number; address?: string }[];
}

/** Why a code was mailed: sign-up confirmation, password reset, or verifying a changed email. */
type CodePurpose = 'signup' | 'reset' | 'email';

interface StoredRefreshToken {
  username: string;
  clientId: string;
  issuedAt: number;
  revoked: boolean;
}

/** An app client: the template's, or one created at runtime with CreateUserPoolClient. */
interface AppClient {
  id: string;
  name: string;
  explicitAuthFlows: string[];
  /** Cognito's default for a client made through the API is LEGACY (tell unknown users apart). */
  preventUserExistenceErrors?: boolean;
  createdAt: number;
  updatedAt: number;
}

interface PoolState {
  users: Record<string, StoredUser>;
  refreshTokens: Record<string, StoredRefreshToken>;
  /** Clients created at runtime (state files written before they existed have none). */
  clients?: Record<string, AppClient>;
}

const CLIENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CLIENT_NAME = /^[\w\s+=,.@-]{1,128}$/;
const CODE_TTL_MS = 24 * 3600 * 1000;
/**
 * Sign-in throttling as Cognito documents it: after 5 failed password attempts the user is locked
 * out for 1 second, and each further failure doubles that, up to about 15 minutes. An attempt
 * while locked out is refused without looking at the password; a success clears the count.
 */
const FREE_PASSWORD_FAILURES = 5;
const FIRST_LOCKOUT_MS = 1000;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;
/** Claims the pool sets on its tokens; no user attribute may stand in for them. */
const RESERVED_CLAIMS = new Set([
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'auth_time',
  'token_use',
  'event_id',
  'origin_jti',
  'client_id',
  'scope',
  'username',
  'email_verified',
  'phone_number_verified',
]);
const isReservedClaim = (name: string): boolean =>
  RESERVED_CLAIMS.has(name) || name.startsWith('cognito:');
/** What a user may not set on their own: proof of owning an address, and the immutable sub. */
const ADMIN_ONLY_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);
const REFRESH_TTL_S = 30 * 24 * 3600;

/** A Cognito error: `__type` and message as the service sends them. */
export class CognitoError extends AwsError {
  constructor(type: string, message: string, status = 400, options?: ErrorOptions) {
    super(type, message, status, options);
    this.name = type;
  }

  get type(): string {
    return this.code;
  }
}

const fail = (type: string, message: string): never => {
  throw new CognitoError(type, message);
};

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

function checkPassword(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), 32);
  return timingSafeEqual(actual, Buffer.from(hash, 'hex'));
}

function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

/** Starts the user-pool engine; state and signing keys persist in dataDir. */
export async function start(options: CognitoEngineOptions): Promise<CognitoEngine> {
  const pool = options.pool;
  const poolName = pool.id.split('_')[1] ?? pool.id;
  const baseUrl = `http://${options.host}:${options.port}`;
  const issuer = `${baseUrl}/${pool.id}`;
  const accessSeconds = options.accessTokenSeconds ?? 3600;
  const stateFile = new Snapshot<PoolState>(options.dataDir, `${pool.id}.json`);
  const keyFile = new Snapshot<JWK>(options.dataDir, 'signing-key.json');

  const state: PoolState = stateFile.read() ?? { users: {}, refreshTokens: {} };
  const createdClients = (state.clients ??= {});
  const startedAt = Date.now();
  const templateClients: AppClient[] = pool.clients.map((c) => ({
    id: c.id,
    name: c.logicalId,
    explicitAuthFlows: c.explicitAuthFlows,
    preventUserExistenceErrors: c.preventUserExistenceErrors,
    createdAt: startedAt,
    updatedAt: startedAt,
  }));
  const save = (): void => stateFile.save(state);

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

  const mailer = nodemailer.createTransport({
    host: options.smtp.host,
    port: options.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  const sendCode = async (user: StoredUser, purpose: CodePurpose): Promise<object> => {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const email = user.attributes['email'] ?? '';
    user.codes = user.codes.filter((c) => c.purpose !== purpose);
    user.codes.push({
      purpose,
      code,
      expiresAt: Date.now() + CODE_TTL_MS,
      ...(purpose === 'email' ? { address: email } : {}),
    });
    save();
    // Cognito sends the pool's verification message both to confirm a sign-up and an attribute.
    const subject =
      purpose === 'reset' ? 'Your password reset code' : pool.verificationEmailSubject;
    const text =
      purpose === 'reset'
        ? `Your password reset code is ${code}`
        : pool.verificationEmailMessage.replace('{####}', code);
    await mailer.sendMail({ from: 'no-reply@verificationemail.com', to: email, subject, text });
    return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  };

  const findUser = (name: unknown): StoredUser | undefined => {
    if (typeof name !== 'string' || !name) return undefined;
    const direct = state.users[name];
    if (direct) return direct;
    const lower = name.toLowerCase();
    return Object.values(state.users).find(
      (u) => u.username.toLowerCase() === lower || u.attributes['email']?.toLowerCase() === lower,
    );
  };
  const requireUser = (name: unknown): StoredUser =>
    findUser(name) ?? fail('UserNotFoundException', 'User does not exist.');

  const findClient = (clientId: unknown): AppClient | undefined =>
    typeof clientId === 'string'
      ? (templateClients.find((c) => c.id === clientId) ?? createdClients[clientId])
      : undefined;
  const requireClient = (clientId: unknown): AppClient =>
    findClient(clientId) ??
    fail('ResourceNotFoundException', `User pool client ${String(clientId)} does not exist.`);
  const checkClient = (clientId: unknown): string => requireClient(clientId).id;
  /**
   * The user a confirmation or recovery call names. A client with PreventUserExistenceErrors
   * ENABLED must not reveal that nobody has that name, so the caller gets undefined and answers as
   * Cognito does (a code "sent" to a simulated address, or a code mismatch).
   */
  const userForRecovery = (clientId: unknown, name: unknown): StoredUser | undefined => {
    const client = requireClient(clientId);
    const user = findUser(name);
    if (!user && !client.preventUserExistenceErrors)
      fail('UserNotFoundException', 'User does not exist.');
    return user;
  };
  const simulatedDelivery = (name: unknown): object => ({
    Destination: maskEmail(
      typeof name === 'string' && name.includes('@') ? name : 'user@example.com',
    ),
    DeliveryMedium: 'EMAIL',
    AttributeName: 'email',
  });
  const codeMismatch = (): never =>
    fail('CodeMismatchException', 'Invalid verification code provided, please try again.');
  /** The client, once it is known to allow `authFlow` (Cognito checks this before the user). */
  const clientForFlow = (clientId: unknown, authFlow: unknown): string => {
    const client = requireClient(clientId);
    const flow = String(authFlow ?? '');
    if (!isAuthFlow(flow)) {
      fail(
        'InvalidParameterException',
        `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`,
      );
    }
    if (!clientAllowsFlow(client.explicitAuthFlows, flow)) {
      fail('InvalidParameterException', `${flow} flow not enabled for this client`);
    }
    return client.id;
  };
  const describeClient = (client: AppClient): Record<string, unknown> => ({
    UserPoolId: pool.id,
    ClientName: client.name,
    ClientId: client.id,
    CreationDate: client.createdAt / 1000,
    LastModifiedDate: client.updatedAt / 1000,
    ExplicitAuthFlows: client.explicitAuthFlows,
    PreventUserExistenceErrors: client.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
    RefreshTokenValidity: REFRESH_TTL_S / 86_400,
    TokenValidityUnits: { RefreshToken: 'days' },
    EnableTokenRevocation: true,
  });
  const checkPool = (poolId: unknown): void => {
    if (poolId !== pool.id)
      fail('ResourceNotFoundException', `User pool ${String(poolId)} does not exist.`);
  };

  const validatePassword = (password: unknown): string => {
    if (typeof password !== 'string' || password.length === 0) {
      fail('InvalidParameterException', 'Password is required.');
    }
    const p = password as string;
    const policy = pool.passwordPolicy;
    const problems: string[] = [];
    if (p.length < policy.minimumLength) problems.push('Password not long enough');
    if (policy.requireLowercase && !/[a-z]/.test(p))
      problems.push('Password must have lowercase characters');
    if (policy.requireUppercase && !/[A-Z]/.test(p))
      problems.push('Password must have uppercase characters');
    if (policy.requireNumbers && !/[0-9]/.test(p))
      problems.push('Password must have numeric characters');
    if (policy.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(p)) {
      problems.push('Password must have symbol characters');
    }
    if (problems.length > 0) {
      fail('InvalidPasswordException', `Password did not conform with policy: ${problems[0]}`);
    }
    return p;
  };
  const setPassword = (user: StoredUser, password: string): void => {
    user.passwordHash = hashPassword(password);
    user.srp = createVerifier(poolName, user.username, password);
    user.updatedAt = Date.now();
  };

  const attributeList = (user: StoredUser): { Name: string; Value: string }[] =>
    Object.entries({ ...user.attributes, sub: user.username }).map(([Name, Value]) => ({
      Name,
      Value,
    }));
  const schemaAttributes = new Set([...STANDARD_USER_ATTRIBUTES, ...pool.customAttributes]);
  /**
   * The attributes of a request, each one of the pool's schema (its standard attributes and its
   * own custom: ones), as Cognito checks them; `sub` never, and the verified flags only from an
   * admin (a self-service caller may not vouch for their own address).
   */
  const readAttributes = (raw: unknown, caller: 'self' | 'admin'): Record<string, string> => {
    const out: Record<string, string> = {};
    if (raw !== undefined && !Array.isArray(raw))
      fail('InvalidParameterException', 'UserAttributes must be a list');
    for (const a of (raw as { Name?: unknown; Value?: unknown }[] | undefined) ?? []) {
      if (typeof a?.Name !== 'string')
        fail('InvalidParameterException', 'Attribute name is required');
      const name = a.Name as string;
      if (!schemaAttributes.has(name)) {
        fail(
          'InvalidParameterException',
          `Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`,
        );
      }
      if (name === 'sub') {
        fail(
          'InvalidParameterException',
          'Attributes did not conform to the schema: sub: Attribute cannot be updated. (changing an immutable attribute)',
        );
      }
      if (caller === 'self' && ADMIN_ONLY_ATTRIBUTES.has(name)) {
        fail('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
      }
      if (typeof a.Value !== 'string' || a.Value.length > 2048) {
        fail(
          'InvalidParameterException',
          `Attributes did not conform to the schema: ${name}: String must be no longer than 2048 characters`,
        );
      }
      out[name] = a.Value as string;
    }
    return out;
  };

  const createUser = (
    login: string,
    attributes: Record<string, string>,
    password: string,
    status: UserStatus,
  ): StoredUser => {
    const email = (
      attributes['email'] ?? (pool.usernameAttributes.includes('email') ? login : '')
    ).trim();
    if (pool.usernameAttributes.includes('email')) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(login)) {
        fail('InvalidParameterException', 'Username should be an email.');
      }
    }
    for (const required of pool.requiredAttributes) {
      if (required === 'email' ? !email : !attributes[required]) {
        fail(
          'InvalidParameterException',
          `Attributes did not conform to the schema: ${required}: The attribute ${required} is required`,
        );
      }
    }
    if (findUser(login) || (email && findUser(email))) {
      fail('UsernameExistsException', 'An account with the given email already exists.');
    }
    // With email as the username attribute, Cognito's own username is a generated UUID (the sub).
    const username = pool.usernameAttributes.length > 0 ? randomUUID() : login;
    const now = Date.now();
    const user: StoredUser = {
      username,
      attributes: {
        ...attributes,
        ...(email ? { email: email.toLowerCase() } : {}),
        email_verified: attributes['email_verified'] ?? 'false',
      },
      status,
      enabled: true,
      passwordHash: '',
      srp: { salt: '', verifier: '' },
      groups: [],
      createdAt: now,
      updatedAt: now,
      tokensValidAfter: 0,
      codes: [],
    };
    setPassword(user, password);
    state.users[username] = user;
    save();
    return user;
  };

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

  const srpSessions = new Map<
    string,
    { username: string; srp: SrpSession; clientId: string; expires: number }
  >();
  const challengeSessions = new Map<
    string,
    { username: string; clientId: string; authFlow: string; expires: number }
  >();

  // Failed password attempts per user, kept in memory (a restart forgives, as nothing else
  // depends on it).
  const passwordFailures = new Map<string, { count: number; lockedUntil: number }>();
  const refuseIfLockedOut = (user: StoredUser): void => {
    const record = passwordFailures.get(user.username);
    if (record && record.lockedUntil > Date.now())
      fail('NotAuthorizedException', 'Password attempts exceeded');
  };
  const passwordFailed = (user: StoredUser): never => {
    const record = passwordFailures.get(user.username) ?? { count: 0, lockedUntil: 0 };
    record.count += 1;
    if (record.count >= FREE_PASSWORD_FAILURES) {
      const doublings = Math.min(record.count - FREE_PASSWORD_FAILURES, 20);
      record.lockedUntil = Date.now() + Math.min(FIRST_LOCKOUT_MS * 2 ** doublings, MAX_LOCKOUT_MS);
    }
    passwordFailures.set(user.username, record);
    return fail('NotAuthorizedException', 'Incorrect username or password.');
  };

  const passwordSignIn = async (
    user: StoredUser | undefined,
    password: unknown,
    clientId: string,
    authFlow: string,
  ): Promise<Record<string, unknown>> => {
    if (!user) return fail('NotAuthorizedException', 'Incorrect username or password.');
    refuseIfLockedOut(user);
    if (typeof password !== 'string' || !checkPassword(password, user.passwordHash)) {
      return passwordFailed(user);
    }
    passwordFailures.delete(user.username);
    return afterPassword(user, clientId, authFlow);
  };
  const afterPassword = async (
    user: StoredUser,
    clientId: string,
    authFlow: string,
  ): Promise<Record<string, unknown>> => {
    if (!user.enabled) fail('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'UNCONFIRMED') fail('UserNotConfirmedException', 'User is not confirmed.');
    if (user.status === 'RESET_REQUIRED')
      fail('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      const session = randomBytes(32).toString('base64url');
      challengeSessions.set(session, {
        username: user.username,
        clientId,
        authFlow,
        expires: Date.now() + 180_000,
      });
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.username,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(user.attributes),
        },
      };
    }
    return {
      AuthenticationResult: await issueTokens(user, clientId, true),
      ChallengeParameters: {},
    };
  };

  /**
   * Applies checked attributes. A new email address is not verified until proven (Cognito sends a
   * code; the local pool has no VerifyUserAttribute, so an admin must set email_verified).
   */
  const updateAttributes = (user: StoredUser, changes: Record<string, string>): void => {
    const email = changes['email']?.trim().toLowerCase();
    if (email !== undefined && email !== user.attributes['email']) {
      const other = findUser(email);
      if (other && other !== user)
        fail('AliasExistsException', 'An account with the given email already exists.');
      changes['email'] = email;
      if (changes['email_verified'] === undefined) changes['email_verified'] = 'false';
    }
    Object.assign(user.attributes, changes);
    user.updatedAt = Date.now();
    save();
  };

  /** The user's email, when `name` is an attribute this pool verifies (email; it has no phone). */
  const verifiableAttribute = (user: StoredUser, name: unknown): string => {
    if (typeof name !== 'string' || !name)
      fail(
        'InvalidParameterException',
        "1 validation error detected: Value null at 'attributeName' failed to satisfy constraint: Member must not be null",
      );
    if (name !== 'email')
      fail('InvalidParameterException', `Attribute ${String(name)} cannot be verified.`);
    return (
      user.attributes['email'] ??
      fail('InvalidParameterException', 'No email attribute to verify for this user.')
    );
  };

  type Operation = (body: Record<string, unknown>) => Promise<unknown>;

  // What the Authenticator and an app call without AWS credentials.
  const publicOps: Record<string, Operation> = {
    async SignUp(body) {
      checkClient(body['ClientId']);
      const login = String(body['Username'] ?? '').trim();
      if (!login) fail('InvalidParameterException', 'Username is required.');
      const password = validatePassword(body['Password']);
      const user = createUser(
        login,
        readAttributes(body['UserAttributes'], 'self'),
        password,
        'UNCONFIRMED',
      );
      const details = await sendCode(user, 'signup');
      return { UserConfirmed: false, UserSub: user.username, CodeDeliveryDetails: details };
    },
    async ConfirmSignUp(body) {
      const user = userForRecovery(body['ClientId'], body['Username']) ?? codeMismatch();
      const code = user.codes.find((c) => c.purpose === 'signup');
      if (user.status !== 'UNCONFIRMED') {
        fail(
          'NotAuthorizedException',
          `User cannot be confirmed. Current status is ${user.status}`,
        );
      }
      if (!code || code.code !== String(body['ConfirmationCode'] ?? '')) {
        codeMismatch();
      }
      if (code!.expiresAt < Date.now())
        fail('ExpiredCodeException', 'Invalid code provided, please request a code again.');
      user.status = 'CONFIRMED';
      user.attributes['email_verified'] = 'true';
      user.codes = user.codes.filter((c) => c !== code);
      user.updatedAt = Date.now();
      save();
      return {};
    },
    async ResendConfirmationCode(body) {
      const user = userForRecovery(body['ClientId'], body['Username']);
      if (!user) return { CodeDeliveryDetails: simulatedDelivery(body['Username']) };
      if (user.status !== 'UNCONFIRMED')
        fail('InvalidParameterException', 'User is already confirmed.');
      return { CodeDeliveryDetails: await sendCode(user, 'signup') };
    },
    async InitiateAuth(body) {
      const clientId = clientForFlow(body['ClientId'], body['AuthFlow']);
      const params = (body['AuthParameters'] ?? {}) as Record<string, unknown>;
      switch (body['AuthFlow']) {
        case 'USER_PASSWORD_AUTH':
          return passwordSignIn(
            findUser(params['USERNAME']),
            params['PASSWORD'],
            clientId,
            'USER_PASSWORD_AUTH',
          );
        case 'REFRESH_TOKEN_AUTH':
        case 'REFRESH_TOKEN':
          return {
            AuthenticationResult: await refreshWith(params['REFRESH_TOKEN'], clientId),
            ChallengeParameters: {},
          };
        case 'USER_SRP_AUTH': {
          const user = findUser(params['USERNAME']);
          if (!user) return fail('NotAuthorizedException', 'Incorrect username or password.');
          refuseIfLockedOut(user);
          let srp: SrpSession;
          try {
            srp = startExchange(user.srp, String(params['SRP_A'] ?? ''));
          } catch {
            return fail('InvalidParameterException', 'SRP_A is not valid');
          }
          const session = randomBytes(32).toString('base64url');
          srpSessions.set(session, {
            username: user.username,
            srp,
            clientId,
            expires: Date.now() + 180_000,
          });
          return {
            ChallengeName: 'PASSWORD_VERIFIER',
            Session: session,
            ChallengeParameters: {
              SALT: user.srp.salt,
              SECRET_BLOCK: session,
              SRP_B: srp.B,
              USERNAME: user.username,
              USER_ID_FOR_SRP: user.username,
            },
          };
        }
        default:
          return fail(
            'InvalidParameterException',
            `AuthFlow ${String(body['AuthFlow'])} is not supported by the local user pool (it supports USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH)`,
          );
      }
    },
    async RespondToAuthChallenge(body) {
      const responses = (body['ChallengeResponses'] ?? {}) as Record<string, unknown>;
      if (body['ChallengeName'] === 'PASSWORD_VERIFIER') {
        const clientId = clientForFlow(body['ClientId'], 'USER_SRP_AUTH');
        const secretBlock = String(responses['PASSWORD_CLAIM_SECRET_BLOCK'] ?? '');
        const pending = srpSessions.get(secretBlock);
        srpSessions.delete(secretBlock);
        if (!pending || pending.expires < Date.now() || pending.clientId !== clientId) {
          return fail(
            'NotAuthorizedException',
            'Invalid session for the user, session is expired.',
          );
        }
        const user = state.users[pending.username];
        const ok =
          user &&
          verifyClaim({
            session: pending.srp,
            verifier: user.srp,
            poolName,
            userId: user.username,
            secretBlock,
            timestamp: String(responses['TIMESTAMP'] ?? ''),
            signature: String(responses['PASSWORD_CLAIM_SIGNATURE'] ?? ''),
          });
        if (!user) return fail('NotAuthorizedException', 'Incorrect username or password.');
        refuseIfLockedOut(user);
        if (!ok) return passwordFailed(user);
        passwordFailures.delete(user.username);
        return afterPassword(user, clientId, 'USER_SRP_AUTH');
      }
      if (body['ChallengeName'] === 'NEW_PASSWORD_REQUIRED') {
        const pending = challengeSessions.get(String(body['Session'] ?? ''));
        const clientId = checkClient(body['ClientId']);
        if (!pending || pending.expires < Date.now() || pending.clientId !== clientId) {
          return fail(
            'NotAuthorizedException',
            'Invalid session for the user, session is expired.',
          );
        }
        const user = requireUser(pending.username);
        setPassword(user, validatePassword(responses['NEW_PASSWORD']));
        user.status = 'CONFIRMED';
        save();
        challengeSessions.delete(String(body['Session']));
        return afterPassword(user, clientId, pending.authFlow);
      }
      checkClient(body['ClientId']);
      return fail(
        'InvalidParameterException',
        `Unsupported challenge ${String(body['ChallengeName'])}`,
      );
    },
    async GetTokensFromRefreshToken(body) {
      const clientId = clientForFlow(body['ClientId'], 'REFRESH_TOKEN_AUTH');
      return { AuthenticationResult: await refreshWith(body['RefreshToken'], clientId) };
    },
    async GetUser(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      return { Username: user.username, UserAttributes: attributeList(user) };
    },
    async UpdateUserAttributes(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      const before = user.attributes['email'];
      updateAttributes(user, readAttributes(body['UserAttributes'], 'self'));
      // The pool verifies email automatically: a new address gets a code, as Cognito sends one.
      if (user.attributes['email'] !== before && user.attributes['email'])
        return { CodeDeliveryDetailsList: [await sendCode(user, 'email')] };
      return { CodeDeliveryDetailsList: [] };
    },
    async GetUserAttributeVerificationCode(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      verifiableAttribute(user, body['AttributeName']);
      return { CodeDeliveryDetails: await sendCode(user, 'email') };
    },
    async VerifyUserAttribute(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      const email = verifiableAttribute(user, body['AttributeName']);
      const code = user.codes.find((c) => c.purpose === 'email');
      // A code sent to an earlier address verifies nothing once the address changed.
      if (!code || code.address !== email || code.code !== String(body['Code'] ?? ''))
        codeMismatch();
      if (code!.expiresAt < Date.now())
        fail('ExpiredCodeException', 'Invalid code provided, please request a code again.');
      user.attributes['email_verified'] = 'true';
      user.codes = user.codes.filter((c) => c !== code);
      user.updatedAt = Date.now();
      save();
      return {};
    },
    async GlobalSignOut(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      user.tokensValidAfter = Math.floor(Date.now() / 1000) + 1;
      save();
      return {};
    },
    async RevokeToken(body) {
      checkClient(body['ClientId']);
      const stored = state.refreshTokens[String(body['Token'] ?? '')];
      if (!stored)
        return fail('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked');
      stored.revoked = true;
      save();
      return {};
    },
    async ChangePassword(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      if (!checkPassword(String(body['PreviousPassword'] ?? ''), user.passwordHash)) {
        fail('NotAuthorizedException', 'Incorrect username or password.');
      }
      setPassword(user, validatePassword(body['ProposedPassword']));
      save();
      return {};
    },
    async DeleteUser(body) {
      const user = await userFromAccessToken(body['AccessToken']);
      delete state.users[user.username];
      save();
      return {};
    },
    async ForgotPassword(body) {
      const user = userForRecovery(body['ClientId'], body['Username']);
      if (!user) return { CodeDeliveryDetails: simulatedDelivery(body['Username']) };
      return { CodeDeliveryDetails: await sendCode(user, 'reset') };
    },
    async ConfirmForgotPassword(body) {
      const user = userForRecovery(body['ClientId'], body['Username']) ?? codeMismatch();
      const code = user.codes.find((c) => c.purpose === 'reset');
      if (!code || code.code !== String(body['ConfirmationCode'] ?? '')) {
        codeMismatch();
      }
      if (code!.expiresAt < Date.now())
        fail('ExpiredCodeException', 'Invalid code provided, please request a code again.');
      setPassword(user, validatePassword(body['Password']));
      user.codes = user.codes.filter((c) => c !== code);
      if (user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD')
        user.status = 'CONFIRMED';
      save();
      return {};
    },
  };

  // The admin API: IAM callers only, every request checked against its SigV4 signature first.
  const signedOps: Record<string, Operation> = {
    async AdminCreateUser(body) {
      checkPool(body['UserPoolId']);
      const login = String(body['Username'] ?? '').trim();
      const temporary =
        typeof body['TemporaryPassword'] === 'string'
          ? body['TemporaryPassword']
          : `Tmp-${randomBytes(6).toString('hex')}1!A`;
      const user = createUser(
        login,
        readAttributes(body['UserAttributes'], 'admin'),
        validatePassword(temporary),
        'FORCE_CHANGE_PASSWORD',
      );
      return { User: describeUser(user, 'Attributes') };
    },
    async AdminSetUserPassword(body) {
      checkPool(body['UserPoolId']);
      const user = requireUser(body['Username']);
      setPassword(user, validatePassword(body['Password']));
      user.status = body['Permanent'] === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
      save();
      return {};
    },
    async AdminConfirmSignUp(body) {
      checkPool(body['UserPoolId']);
      const user = requireUser(body['Username']);
      user.status = 'CONFIRMED';
      save();
      return {};
    },
    async AdminAddUserToGroup(body) {
      checkPool(body['UserPoolId']);
      const group = String(body['GroupName'] ?? '');
      if (!pool.groups.some((g) => g.name === group))
        fail('ResourceNotFoundException', 'Group not found.');
      const user = requireUser(body['Username']);
      if (!user.groups.includes(group)) user.groups.push(group);
      save();
      return {};
    },
    async AdminRemoveUserFromGroup(body) {
      checkPool(body['UserPoolId']);
      const user = requireUser(body['Username']);
      user.groups = user.groups.filter((g) => g !== body['GroupName']);
      save();
      return {};
    },
    async AdminListGroupsForUser(body) {
      checkPool(body['UserPoolId']);
      const user = requireUser(body['Username']);
      return { Groups: user.groups.map((g) => ({ GroupName: g, UserPoolId: pool.id })) };
    },
    async ListGroups(body) {
      checkPool(body['UserPoolId']);
      return {
        Groups: pool.groups.map((g) => ({
          GroupName: g.name,
          Precedence: g.precedence,
          UserPoolId: pool.id,
        })),
      };
    },
    async AdminGetUser(body) {
      checkPool(body['UserPoolId']);
      return describeUser(requireUser(body['Username']), 'UserAttributes');
    },
    async AdminUpdateUserAttributes(body) {
      checkPool(body['UserPoolId']);
      updateAttributes(
        requireUser(body['Username']),
        readAttributes(body['UserAttributes'], 'admin'),
      );
      return {};
    },
    async AdminDeleteUser(body) {
      checkPool(body['UserPoolId']);
      delete state.users[requireUser(body['Username']).username];
      save();
      return {};
    },
    async AdminUserGlobalSignOut(body) {
      checkPool(body['UserPoolId']);
      requireUser(body['Username']).tokensValidAfter = Math.floor(Date.now() / 1000) + 1;
      save();
      return {};
    },
    async AdminInitiateAuth(body) {
      checkPool(body['UserPoolId']);
      const authFlow = String(body['AuthFlow'] ?? '');
      const clientId = clientForFlow(body['ClientId'], authFlow);
      const params = (body['AuthParameters'] ?? {}) as Record<string, unknown>;
      if (authFlow === 'ADMIN_USER_PASSWORD_AUTH' || authFlow === 'ADMIN_NO_SRP_AUTH') {
        return passwordSignIn(findUser(params['USERNAME']), params['PASSWORD'], clientId, authFlow);
      }
      if (body['AuthFlow'] === 'REFRESH_TOKEN_AUTH' || body['AuthFlow'] === 'REFRESH_TOKEN') {
        return {
          AuthenticationResult: await refreshWith(params['REFRESH_TOKEN'], clientId),
          ChallengeParameters: {},
        };
      }
      return fail(
        'InvalidParameterException',
        `AuthFlow ${authFlow} is not supported by the local user pool's AdminInitiateAuth`,
      );
    },
    async ListUsers(body) {
      checkPool(body['UserPoolId']);
      let users = Object.values(state.users).sort((a, b) => a.createdAt - b.createdAt);
      const filter = typeof body['Filter'] === 'string' ? body['Filter'] : '';
      if (filter) {
        const match = /^\s*([\w:]+)\s*(=|\^=)\s*"([^"]*)"\s*$/.exec(filter);
        if (!match) fail('InvalidParameterException', `Invalid search filter ${filter}`);
        const [, attr = '', op, value = ''] = match as RegExpExecArray;
        const read = (u: StoredUser): string =>
          attr === 'username' || attr === 'sub'
            ? u.username
            : attr === 'status' || attr === 'cognito:user_status'
              ? u.status
              : (u.attributes[attr] ?? '');
        users = users.filter((u) => (op === '=' ? read(u) === value : read(u).startsWith(value)));
      }
      const start = Number(body['PaginationToken'] ?? 0) || 0;
      const limit = Math.min(60, Number(body['Limit'] ?? 60) || 60);
      const page = users.slice(start, start + limit);
      return {
        Users: page.map((u) => describeUser(u, 'Attributes')),
        ...(start + limit < users.length ? { PaginationToken: String(start + limit) } : {}),
      };
    },
    async CreateUserPoolClient(body) {
      checkPool(body['UserPoolId']);
      const name = body['ClientName'];
      if (typeof name !== 'string' || !CLIENT_NAME.test(name)) {
        fail(
          'InvalidParameterException',
          "1 validation error detected: Value at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+ and length 1..128",
        );
      }
      if (body['GenerateSecret'] === true) {
        // Honest refusal: a client secret would need SECRET_HASH on every call, which is not done.
        fail('InvalidParameterException', 'The local user pool does not support client secrets.');
      }
      const raw = body['ExplicitAuthFlows'] ?? [];
      if (!Array.isArray(raw) || raw.some((f) => typeof f !== 'string')) {
        fail('InvalidParameterException', 'ExplicitAuthFlows must be a list of strings.');
      }
      const flows = [...new Set(raw as string[])];
      const problem = explicitAuthFlowsProblem(flows);
      if (problem) fail('InvalidParameterException', problem);
      const prevent = body['PreventUserExistenceErrors'] ?? 'LEGACY';
      if (prevent !== 'ENABLED' && prevent !== 'LEGACY') {
        fail(
          'InvalidParameterException',
          "1 validation error detected: Value at 'preventUserExistenceErrors' failed to satisfy constraint: Member must satisfy enum value set: [LEGACY, ENABLED]",
        );
      }
      const now = Date.now();
      const client: AppClient = {
        id: Array.from(randomBytes(26), (b) => CLIENT_ID_ALPHABET[b % 36]).join(''),
        name: name as string,
        explicitAuthFlows: flows.length > 0 ? flows : [...DEFAULT_AUTH_FLOWS],
        preventUserExistenceErrors: prevent === 'ENABLED',
        createdAt: now,
        updatedAt: now,
      };
      createdClients[client.id] = client;
      save();
      return { UserPoolClient: describeClient(client) };
    },
    async DescribeUserPoolClient(body) {
      checkPool(body['UserPoolId']);
      return { UserPoolClient: describeClient(requireClient(body['ClientId'])) };
    },
    async ListUserPoolClients(body) {
      checkPool(body['UserPoolId']);
      const all = [...templateClients, ...Object.values(createdClients)];
      const start = Number(body['NextToken'] ?? 0) || 0;
      const limit = Math.min(60, Number(body['MaxResults'] ?? 60) || 60);
      return {
        UserPoolClients: all
          .slice(start, start + limit)
          .map((c) => ({ ClientId: c.id, UserPoolId: pool.id, ClientName: c.name })),
        ...(start + limit < all.length ? { NextToken: String(start + limit) } : {}),
      };
    },
  };

  const describeUser = (
    user: StoredUser,
    key: 'Attributes' | 'UserAttributes',
  ): Record<string, unknown> => ({
    Username: user.username,
    [key]: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  });

  // The admin: created on first start, password and group membership reset on every start.
  if (options.admin) {
    const existing = findUser(options.admin.email);
    const admin =
      existing ??
      createUser(
        options.admin.email,
        { email: options.admin.email },
        options.admin.password,
        'CONFIRMED',
      );
    setPassword(admin, options.admin.password);
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
