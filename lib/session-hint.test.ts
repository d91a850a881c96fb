import { CookieStorage } from 'aws-amplify/utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSessionHint } from './session-hint';

const CLIENT_ID = 'client123';
const NOW = Date.parse('2026-11-22T10:00:00Z');

// A cookie jar behind `document.cookie`, so aws-amplify's own CookieStorage (js-cookie) writes the
// cookies with exactly the names and encoding a browser would hold.
let jar: Map<string, string>;
beforeEach(() => {
  jar = new Map();
  Object.defineProperty(globalThis, 'document', {
    configurable: true,
    value: {
      get cookie() {
        return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      },
      set cookie(text: string) {
        const [pair = '', ...attributes] = text.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at);
        const expires = attributes.find((a) => a.trim().toLowerCase().startsWith('expires='));
        if (expires && Date.parse(expires.split('=')[1] ?? '') < Date.now()) jar.delete(name);
        else jar.set(name, pair.slice(at + 1));
      },
    },
  });
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'document');
});

const jwt = (claims: Record<string, unknown>): string => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
};

/** What aws-amplify's token store writes for a signed-in user (TokenStore key layout). */
async function signIn(
  username: string,
  claims: Record<string, unknown>,
  { refreshToken = true, signInDetails }: { refreshToken?: boolean; signInDetails?: object } = {},
) {
  const storage = new CookieStorage({ sameSite: 'lax' });
  const base = `CognitoIdentityServiceProvider.${CLIENT_ID}`;
  await storage.setItem(`${base}.LastAuthUser`, username);
  await storage.setItem(`${base}.${username}.idToken`, jwt(claims));
  await storage.setItem(`${base}.${username}.accessToken`, jwt({ sub: 'abc' }));
  if (refreshToken) await storage.setItem(`${base}.${username}.refreshToken`, 'opaque.refresh');
  if (signInDetails) {
    await storage.setItem(`${base}.${username}.signInDetails`, JSON.stringify(signInDetails));
  }
  return storage;
}

const hint = () => readSessionHint(document.cookie, CLIENT_ID, NOW);
const inAnHour = NOW / 1000 + 3600;

describe('readSessionHint', () => {
  it('says nobody is signed in when there are no Amplify cookies', () => {
    document.cookie = 'theme=dark';
    expect(hint()).toBeNull();
  });

  it('reads the email (UTF-8) and the ADMINS group from the ID token aws-amplify stored', async () => {
    await signIn('ada@example.com', {
      email: 'zoë@example.com',
      'cognito:groups': ['ADMINS'],
      exp: inAnHour,
    });
    expect(hint()).toEqual({ email: 'zoë@example.com', isAdmin: true });
  });

  it('is not an admin without the ADMINS group', async () => {
    await signIn('5f0c-uuid', { email: 'shopper@example.com', exp: inAnHour });
    expect(hint()).toEqual({ email: 'shopper@example.com', isAdmin: false });
  });

  it('falls back to the sign-in id when the token has no email claim', async () => {
    await signIn('5f0c-uuid', { exp: inAnHour }, { signInDetails: { loginId: 'me@example.com' } });
    expect(hint()?.email).toBe('me@example.com');
  });

  it('ignores another app client’s session', async () => {
    await signIn('5f0c-uuid', { email: 'shopper@example.com', exp: inAnHour });
    expect(readSessionHint(document.cookie, 'another-client', NOW)).toBeNull();
  });

  it('keeps an expired ID token with a refresh token, drops it without one', async () => {
    await signIn('5f0c-uuid', { email: 'shopper@example.com', exp: NOW / 1000 - 60 });
    expect(hint()?.email).toBe('shopper@example.com');
    jar.clear();
    await signIn(
      '5f0c-uuid',
      { email: 'shopper@example.com', exp: NOW / 1000 - 60 },
      { refreshToken: false },
    );
    expect(hint()).toBeNull();
  });

  it('says signed out once aws-amplify has removed the tokens', async () => {
    const storage = await signIn('5f0c-uuid', { email: 'shopper@example.com', exp: inAnHour });
    const base = `CognitoIdentityServiceProvider.${CLIENT_ID}`;
    await storage.removeItem(`${base}.5f0c-uuid.idToken`);
    await storage.removeItem(`${base}.LastAuthUser`);
    expect(hint()).toBeNull();
  });

  it('treats a malformed token as signed out', async () => {
    const storage = new CookieStorage({ sameSite: 'lax' });
    const base = `CognitoIdentityServiceProvider.${CLIENT_ID}`;
    await storage.setItem(`${base}.LastAuthUser`, 'u');
    await storage.setItem(`${base}.u.idToken`, 'not-a-jwt');
    expect(hint()).toBeNull();
  });
});
