/** What a signed-in user or the Authenticator does without AWS credentials: sign-up, codes, attributes, passwords. */

import { fail, checkPassword, type Operation } from './model';
import type { UserPool } from './pool';
import type { Tokens } from './tokens';

/** The self-service operations, callable unsigned as in Cognito. */
export function accountOperations(userPool: UserPool, tokens: Tokens): Record<string, Operation> {
  const {
    state,
    save,
    sendCode,
    checkClient,
    userForRecovery,
    simulatedDelivery,
    codeMismatch,
    validatePassword,
    setPassword,
    attributeList,
    readAttributes,
    createUser,
    updateAttributes,
    verifiableAttribute,
  } = userPool;
  const { userFromAccessToken } = tokens;
  return {
    async SignUp(body) {
      checkClient(body['ClientId']);
      const login = String(body['Username'] ?? '').trim();
      if (!login) fail('InvalidParameterException', 'Username is required.');
      const password = validatePassword(body['Password']);
      const user = await createUser(
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
      if (!(await checkPassword(String(body['PreviousPassword'] ?? ''), user.passwordHash))) {
        fail('NotAuthorizedException', 'Incorrect username or password.');
      }
      await setPassword(user, validatePassword(body['ProposedPassword']));
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
      const password = validatePassword(body['Password']);
      // The code is spent before the hash is awaited, so a second request with it finds none.
      user.codes = user.codes.filter((c) => c !== code);
      await setPassword(user, password);
      if (user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD')
        user.status = 'CONFIRMED';
      save();
      return {};
    },
  };
}
