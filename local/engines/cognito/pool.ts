/** The pool store: users, app clients, attributes, passwords and the codes it mails. */
import { randomInt, randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { STANDARD_USER_ATTRIBUTES } from '../../assembly';
import { clientAllowsFlow, isAuthFlow } from './flows';
import { createVerifier } from './srp';
import nodemailer from 'nodemailer';
import { Snapshot } from '../kit/journal';
import {
  CODE_TTL_MS,
  ADMIN_ONLY_ATTRIBUTES,
  REFRESH_TTL_S,
  fail,
  hashPassword,
  maskEmail,
  type CognitoEngineOptions,
  type UserStatus,
  type StoredUser,
  type CodePurpose,
  type AppClient,
  type PoolState,
} from './model';

/** Opens the pool's state in its data folder; every change is saved before it is answered. */
export function openPool(options: CognitoEngineOptions) {
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
  /** Hashes off the event loop; the user changes only once the hash is there. */
  const setPassword = async (user: StoredUser, password: string): Promise<void> => {
    user.passwordHash = await hashPassword(password);
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

  const createUser = async (
    login: string,
    attributes: Record<string, string>,
    password: string,
    status: UserStatus,
  ): Promise<StoredUser> => {
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
    const refuseTaken = (): void => {
      if (findUser(login) || (email && findUser(email))) {
        fail('UsernameExistsException', 'An account with the given email already exists.');
      }
    };
    refuseTaken();
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
    await setPassword(user, password);
    // The same login may have signed up while the password was being hashed.
    refuseTaken();
    state.users[username] = user;
    save();
    return user;
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

  return {
    options,
    pool,
    poolName,
    baseUrl,
    issuer,
    accessSeconds,
    stateFile,
    keyFile,
    state,
    createdClients,
    startedAt,
    templateClients,
    save,
    mailer,
    sendCode,
    findUser,
    requireUser,
    findClient,
    requireClient,
    checkClient,
    userForRecovery,
    simulatedDelivery,
    codeMismatch,
    clientForFlow,
    describeClient,
    checkPool,
    validatePassword,
    setPassword,
    attributeList,
    schemaAttributes,
    readAttributes,
    createUser,
    updateAttributes,
    verifiableAttribute,
    describeUser,
  };
}

/** The pool store's state and helpers, shared by the operations. */
export type UserPool = ReturnType<typeof openPool>;
