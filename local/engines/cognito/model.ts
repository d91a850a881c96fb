/** The user pool's stored shapes, Cognito's limits and errors, and password hashing. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { UserPoolModel } from '../../assembly';
import type { SrpVerifier } from './srp';
import { AwsError } from '../kit/aws-json';

/** Inputs of the local user pool: its template, where it keeps state, and where it mails codes. */
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

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface StoredUser {
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
export type CodePurpose = 'signup' | 'reset' | 'email';

export interface StoredRefreshToken {
  username: string;
  clientId: string;
  issuedAt: number;
  revoked: boolean;
}

/** An app client: the template's, or one created at runtime with CreateUserPoolClient. */
export interface AppClient {
  id: string;
  name: string;
  explicitAuthFlows: string[];
  /** Cognito's default for a client made through the API is LEGACY (tell unknown users apart). */
  preventUserExistenceErrors?: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PoolState {
  users: Record<string, StoredUser>;
  refreshTokens: Record<string, StoredRefreshToken>;
  /** Clients created at runtime (state files written before they existed have none). */
  clients?: Record<string, AppClient>;
}

export const CLIENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const CLIENT_NAME = /^[\w\s+=,.@-]{1,128}$/;
export const CODE_TTL_MS = 24 * 3600 * 1000;
/**
 * Sign-in throttling as Cognito documents it: after 5 failed password attempts the user is locked
 * out for 1 second, and each further failure doubles that, up to about 15 minutes. An attempt
 * while locked out is refused without looking at the password; a success clears the count.
 */
export const FREE_PASSWORD_FAILURES = 5;
export const FIRST_LOCKOUT_MS = 1000;
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
/** Claims the pool sets on its tokens; no user attribute may stand in for them. */
export const RESERVED_CLAIMS = new Set([
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
export const isReservedClaim = (name: string): boolean =>
  RESERVED_CLAIMS.has(name) || name.startsWith('cognito:');
/** What a user may not set on their own: proof of owning an address, and the immutable sub. */
export const ADMIN_ONLY_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);
export const REFRESH_TTL_S = 30 * 24 * 3600;

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

export const fail = (type: string, message: string): never => {
  throw new CognitoError(type, message);
};

/**
 * scrypt on libuv's thread pool: about 30 ms of CPU per hash here, which `scryptSync` spent on the
 * one event loop every engine shares, stalling every request in flight at each sign-in or sign-up.
 */
const scryptHash = (password: string, salt: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password, salt, 32, (error, key) => (error ? reject(error) : resolve(key))),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${(await scryptHash(password, salt)).toString('hex')}`;
}

/** Compares in constant time; a malformed stored hash matches nothing. */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = await scryptHash(password, Buffer.from(salt, 'hex'));
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

/** One operation of the JSON API: its decoded body in, its answer out. */
export type Operation = (body: Record<string, unknown>) => Promise<unknown>;
