import { describe, expect, it } from 'vitest';
import { documentLimitProblem, MAX_DOCUMENT_CHARACTERS, MAX_DOCUMENT_NESTING } from './limits';

const nested = (depth: number) => `query { a ${'{ b '.repeat(depth - 1)}${'}'.repeat(depth)}`;

describe('AppSync engine: document limits before parsing', () => {
  it('lets a document nested up to the limit through', () => {
    expect(documentLimitProblem(nested(MAX_DOCUMENT_NESTING))).toBeUndefined();
  });

  it('refuses one bracket deeper, in graphql-java words', () => {
    expect(documentLimitProblem(nested(MAX_DOCUMENT_NESTING + 1))).toMatchObject({
      limit: 'nesting',
      message: expect.stringMatching(/deep 'grammar' rules .* parsing has been cancelled/),
    });
  });

  it.each([
    ['lists', `query { a(b: ${'['.repeat(200)}1${']'.repeat(200)}) }`],
    ['arguments', `query { a${'('.repeat(200)} }`],
    ['mixed brackets', '{(['.repeat(40)],
  ])('counts %s toward the nesting', (_what, document) => {
    expect(documentLimitProblem(document)?.limit).toBe('nesting');
  });

  it.each([
    ['a string', `query { a(b: "${'{'.repeat(500)}") }`],
    ['an escaped quote in a string', `query { a(b: "\\"${'{'.repeat(500)}") }`],
    ['a block string', `query { a(b: """${'{'.repeat(500)}""") }`],
    ['a comment', `# ${'{'.repeat(500)}\nquery { a }`],
  ])('ignores brackets inside %s', (_what, document) => {
    expect(documentLimitProblem(document)).toBeUndefined();
  });

  it('refuses a document over the size limit without scanning it', () => {
    expect(documentLimitProblem(' '.repeat(MAX_DOCUMENT_CHARACTERS + 1))?.limit).toBe('characters');
  });
});
