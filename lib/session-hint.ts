/**
 * Who is signed in, read from the cookies aws-amplify writes (`Amplify.configure(..., { ssr: true })`
 * keeps Cognito's tokens in cookies named `CognitoIdentityServiceProvider.<clientId>...`), without
 * loading aws-amplify. The header uses it on every page; pages that act for the shopper still ask
 * aws-amplify, which checks and refreshes the tokens.
 */
export interface SessionHint {
  email: string | null;
  isAdmin: boolean;
}

const PREFIX = 'CognitoIdentityServiceProvider';

/** The cookies of a `document.cookie` string by decoded name (js-cookie percent-encodes both). */
export function parseCookies(cookieText: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of cookieText.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = safeDecode(part.slice(0, at).trim());
    if (!cookies.has(name)) cookies.set(name, safeDecode(part.slice(at + 1).trim()));
  }
  return cookies;
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** A JWT's claims without verifying it (only the server trusts a token; this only picks a label). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in shopper's label and admin flag, or null when nobody is signed in. An expired ID
 * token still counts while a refresh token is there: aws-amplify renews it on the next API call.
 */
export function readSessionHint(
  cookieText: string,
  userPoolClientId: string,
  nowMs = Date.now(),
): SessionHint | null {
  const cookies = parseCookies(cookieText);
  const base = `${PREFIX}.${userPoolClientId}`;
  const username = cookies.get(`${base}.LastAuthUser`);
  if (!username) return null;
  const idToken = cookies.get(`${base}.${username}.idToken`);
  const claims = idToken ? jwtClaims(idToken) : null;
  if (!claims) return null;
  const expired = typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs;
  if (expired && !cookies.get(`${base}.${username}.refreshToken`)) return null;
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].map(String)
    : [];
  return {
    email: typeof claims.email === 'string' ? claims.email : loginId(cookies, base, username),
    isAdmin: groups.includes('ADMINS'),
  };
}

const loginId = (cookies: Map<string, string>, base: string, username: string): string | null => {
  const details = cookies.get(`${base}.${username}.signInDetails`);
  if (!details) return null;
  try {
    const parsed: unknown = JSON.parse(details);
    const id = (parsed as { loginId?: unknown } | null)?.loginId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
};
