/** Sign-in: password and SRP flows, challenges, refresh, and Cognito's lockout after failed passwords. */
import { randomBytes } from 'node:crypto';
import { startExchange, verifyClaim, type SrpSession } from './srp';
import {
  FREE_PASSWORD_FAILURES,
  FIRST_LOCKOUT_MS,
  MAX_LOCKOUT_MS,
  fail,
  checkPassword,
  type StoredUser,
  type Operation,
} from './model';
import type { UserPool } from './pool';
import type { Tokens } from './tokens';

/** The sign-in flows over one pool; `operations` are the public ones the Authenticator calls. */
export function openAuthFlows(userPool: UserPool, tokens: Tokens) {
  const {
    poolName,
    state,
    save,
    findUser,
    requireUser,
    checkClient,
    clientForFlow,
    validatePassword,
    setPassword,
  } = userPool;
  const { issueTokens, refreshWith } = tokens;
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

  // One password check at a time per user: the hash is awaited on the thread pool, so without
  // this, guesses sent together would all pass the lockout check before any failure was counted.
  const checksInProgress = new Map<string, Promise<unknown>>();
  const oneCheckAtATime = async <T>(username: string, check: () => Promise<T>): Promise<T> => {
    const previous = checksInProgress.get(username) ?? Promise.resolve();
    const run = previous.then(check, check);
    const settled = run.catch(() => undefined);
    checksInProgress.set(username, settled);
    try {
      return await run;
    } finally {
      if (checksInProgress.get(username) === settled) checksInProgress.delete(username);
    }
  };

  const passwordSignIn = async (
    user: StoredUser | undefined,
    password: unknown,
    clientId: string,
    authFlow: string,
  ): Promise<Record<string, unknown>> => {
    if (!user) return fail('NotAuthorizedException', 'Incorrect username or password.');
    await oneCheckAtATime(user.username, async () => {
      refuseIfLockedOut(user);
      if (typeof password !== 'string' || !(await checkPassword(password, user.passwordHash))) {
        passwordFailed(user);
      }
      passwordFailures.delete(user.username);
    });
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

  const operations: Record<string, Operation> = {
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
        const password = validatePassword(responses['NEW_PASSWORD']);
        // The session is spent before the hash is awaited, so a second answer with it finds none.
        challengeSessions.delete(String(body['Session']));
        await setPassword(user, password);
        user.status = 'CONFIRMED';
        save();
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
  };
  return { operations, passwordSignIn };
}

/** What the admin operations use of the sign-in flows. */
export type AuthFlows = ReturnType<typeof openAuthFlows>;
