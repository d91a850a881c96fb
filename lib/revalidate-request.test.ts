import { describe, expect, it } from 'vitest';
import {
  MAX_BODY_BYTES,
  MIN_SECRET_LENGTH,
  bearerToken,
  checkSecret,
  parseRevalidateBody,
  readBodyUpTo,
  secretMatches,
} from './revalidate-request';

const SECRET = 's'.repeat(MIN_SECRET_LENGTH);

describe('checkSecret', () => {
  it('takes the configured secret as a bearer token', () => {
    expect(checkSecret(SECRET, `Bearer ${SECRET}`)).toEqual({ ok: true });
  });

  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['Bearer and nothing', 'Bearer '],
    ['another scheme', `Basic ${SECRET}`],
    ['a lower-case scheme', `bearer ${SECRET}`],
    ['a wrong secret of the same length', `Bearer ${'t'.repeat(MIN_SECRET_LENGTH)}`],
    ['a prefix', `Bearer ${SECRET.slice(1)}`],
    ['the secret and more', `Bearer ${SECRET}s`],
    ['two tokens', `Bearer ${SECRET} ${SECRET}`],
    ['a control character', `Bearer ${SECRET}\u0000`],
  ])('refuses %s with 401', (_what, header) => {
    expect(checkSecret(SECRET, header)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses everyone, with 503, while no secret or a short one is configured', () => {
    expect(checkSecret(undefined, 'Bearer ')).toMatchObject({ ok: false, status: 503 });
    expect(checkSecret('', 'Bearer ')).toMatchObject({ ok: false, status: 503 });
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    expect(checkSecret(short, `Bearer ${short}`)).toMatchObject({ ok: false, status: 503 });
  });
});

describe('secretMatches and bearerToken', () => {
  it('compares whole secrets of any lengths without throwing', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abc', 'abcd')).toBe(false);
    expect(secretMatches('', 'abc')).toBe(false);
    expect(secretMatches('é', 'e')).toBe(false);
  });

  it('reads only a single printable token after "Bearer "', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Bearer  abc')).toBeNull();
    expect(bearerToken('Bearer abc\n')).toBeNull();
  });
});

describe('parseRevalidateBody', () => {
  it('gives the distinct product ids', () => {
    expect(parseRevalidateBody('{"productIds":["a-1","b_2","a-1"]}')).toEqual({
      ok: true,
      productIds: ['a-1', 'b_2'],
    });
  });

  it.each([
    ['not JSON', '{"productIds": ['],
    ['JSON null', 'null'],
    ['an array', '["a"]'],
    ['no ids', '{"productIds":[]}'],
    ['an id that is not a string', '{"productIds":[1]}'],
    ['an empty id', '{"productIds":[""]}'],
    ['an id with a slash', '{"productIds":["../x"]}'],
    ['an id with a space', '{"productIds":["a b"]}'],
    ['an id of 129 characters', JSON.stringify({ productIds: ['a'.repeat(129)] })],
    ['101 ids', JSON.stringify({ productIds: Array.from({ length: 101 }, (_, i) => `p${i}`) })],
    ['an unknown field', '{"productIds":["a"],"tags":["*"]}'],
    ['a prototype key', '{"productIds":["a"],"__proto__":{"x":1}}'],
  ])('refuses %s with 400', (_what, body) => {
    expect(parseRevalidateBody(body)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a body that was too large with 413', () => {
    expect(parseRevalidateBody(null)).toMatchObject({ ok: false, status: 413 });
  });
});

describe('readBodyUpTo', () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request('http://shop.test/api/revalidate', { method: 'POST', body, headers });

  it('reads a body within the limit', async () => {
    await expect(readBodyUpTo(post('{"a":1}'), MAX_BODY_BYTES)).resolves.toBe('{"a":1}');
  });

  it('stops at a declared length over the limit without reading', async () => {
    const request = post('x', { 'content-length': String(MAX_BODY_BYTES + 1) });
    await expect(readBodyUpTo(request, MAX_BODY_BYTES)).resolves.toBeNull();
  });

  it('stops a streamed body once it passes the limit', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request('http://shop.test/', {
      method: 'POST',
      body: stream,
      // @ts-expect-error Node's fetch needs this for a stream body; the DOM types lack it.
      duplex: 'half',
    });
    await expect(readBodyUpTo(request, 4096)).resolves.toBeNull();
    expect(pulled).toBeLessThan(10);
  });
});
