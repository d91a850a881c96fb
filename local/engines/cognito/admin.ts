/** The admin API: IAM callers only, every request checked against its SigV4 signature first. */
import { randomBytes } from 'node:crypto';
import { DEFAULT_AUTH_FLOWS, explicitAuthFlowsProblem } from './flows';
import {
  CLIENT_ID_ALPHABET,
  CLIENT_NAME,
  fail,
  type StoredUser,
  type AppClient,
  type Operation,
} from './model';
import type { AuthFlows } from './auth';
import type { UserPool } from './pool';
import type { Tokens } from './tokens';

/** The admin operations (AdminCreateUser, ListUsers, CreateUserPoolClient...), signed only. */
export function adminOperations(
  userPool: UserPool,
  tokens: Tokens,
  auth: AuthFlows,
): Record<string, Operation> {
  const {
    pool,
    state,
    createdClients,
    templateClients,
    save,
    findUser,
    requireUser,
    requireClient,
    clientForFlow,
    describeClient,
    checkPool,
    validatePassword,
    setPassword,
    readAttributes,
    createUser,
    updateAttributes,
    describeUser,
  } = userPool;
  const { refreshWith } = tokens;
  const { passwordSignIn } = auth;
  return {
    async AdminCreateUser(body) {
      checkPool(body['UserPoolId']);
      const login = String(body['Username'] ?? '').trim();
      const temporary =
        typeof body['TemporaryPassword'] === 'string'
          ? body['TemporaryPassword']
          : `Tmp-${randomBytes(6).toString('hex')}1!A`;
      const user = await createUser(
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
      await setPassword(user, validatePassword(body['Password']));
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
}
