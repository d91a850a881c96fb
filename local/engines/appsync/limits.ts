/**
 * Limits a GraphQL document must pass before it is parsed. AppSync runs on graphql-java, whose
 * parser refuses, before building anything, a document of more than 1,048,576 characters, more
 * than 15,000 grammar tokens, or grammar rules nested more than 500 deep, each "to prevent Denial
 * Of Service attacks". graphql-js has no such guard: a few thousand nested braces overflow its
 * recursive parser's stack (RangeError). So the same limits are checked here first, and a refused
 * document gets graphql-java's words.
 */

export const MAX_DOCUMENT_CHARACTERS = 1_048_576;
export const MAX_DOCUMENT_TOKENS = 15_000;
/**
 * Brackets (`{`, `[`, `(`) open at once. graphql-java counts grammar rules, about five for each
 * nested selection set, so 100 brackets is roughly its 500 rules; far deeper than any real query
 * (the storefront's deepest is 4) and far below what overflows graphql-js.
 */
export const MAX_DOCUMENT_NESTING = 100;

/** Why a document was refused before parsing; the message is graphql-java's. */
export interface DocumentLimitProblem {
  limit: 'characters' | 'tokens' | 'nesting';
  message: string;
}

const refusal = (what: string): string =>
  `More than ${what} have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`;

/**
 * Checks a document's size and nesting without parsing it: one pass over the text that skips
 * strings, block strings and comments, where brackets mean nothing.
 */
export function documentLimitProblem(query: string): DocumentLimitProblem | undefined {
  if (query.length > MAX_DOCUMENT_CHARACTERS) {
    return {
      limit: 'characters',
      message: refusal(`${MAX_DOCUMENT_CHARACTERS} characters`),
    };
  }
  let depth = 0;
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i];
    if (c === '#') {
      while (i < n && query[i] !== '\n' && query[i] !== '\r') i += 1;
    } else if (c === '"') {
      if (query.startsWith('"""', i)) {
        const end = blockStringEnd(query, i + 3);
        i = end;
      } else {
        i += 1;
        while (i < n && query[i] !== '"' && query[i] !== '\n') i += query[i] === '\\' ? 2 : 1;
        i += 1;
      }
      continue;
    } else if (c === '{' || c === '[' || c === '(') {
      depth += 1;
      if (depth > MAX_DOCUMENT_NESTING) {
        return {
          limit: 'nesting',
          message: refusal(`${MAX_DOCUMENT_NESTING * 5} deep 'grammar' rules`),
        };
      }
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
    i += 1;
  }
  return undefined;
}

function blockStringEnd(query: string, from: number): number {
  let i = from;
  while (i < query.length) {
    if (query.startsWith('\\"""', i)) i += 4;
    else if (query.startsWith('"""', i)) return i + 3;
    else i += 1;
  }
  return i;
}

/** graphql-js's own token cap reports this; it is turned into graphql-java's words. */
export const TOKEN_LIMIT_MESSAGE = refusal(`${MAX_DOCUMENT_TOKENS} 'grammar' tokens`);
