/**
 * Page tokens: opaque to the client, bound to what they page through (a log group, or the list of
 * groups), so a token from one query cannot be replayed against another.
 */

/** A token this engine did not give out for this query (InvalidParameterException). */
export class PageTokenError extends Error {
  constructor() {
    super('The specified nextToken is invalid.');
    this.name = 'PageTokenError';
  }
}

export const encodeToken = (scope: string, position: number): string =>
  Buffer.from(JSON.stringify({ s: scope, p: position }), 'utf8').toString('base64url');

/** The position a token resumes at; throws PageTokenError for anything else. */
export function decodeToken(token: string, scope: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new PageTokenError();
  }
  const { s, p } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  if (s !== scope || typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0)
    throw new PageTokenError();
  return p;
}
