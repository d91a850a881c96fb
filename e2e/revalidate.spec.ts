/**
 * POST /api/revalidate, attacked as anyone on the internet could: it answers only the backend that
 * holds the shared secret, refuses a bad body plainly, and keeps serving the shop after.
 */
import { expect, test } from '@playwright/test';
import { E2E_REVALIDATE_SECRET } from './revalidate-secret';
import { listProducts } from './support';

const good = { productIds: ['prod-field-compass'] };
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

test('the revalidate route refuses callers without the secret and bad bodies, and takes a good call', async ({
  request,
}) => {
  const ids = (await listProducts()).slice(0, 2).map((p) => p.id);
  const refusals: [string, Parameters<typeof request.post>[1], number][] = [
    ['no secret', { data: good }, 401],
    ['an empty bearer', { data: good, headers: { authorization: 'Bearer ' } }, 401],
    [
      'the secret in the wrong scheme',
      { data: good, headers: { authorization: `Basic ${E2E_REVALIDATE_SECRET}` } },
      401,
    ],
    [
      'a wrong secret',
      { data: good, headers: bearer('x'.repeat(E2E_REVALIDATE_SECRET.length)) },
      401,
    ],
    [
      'the secret plus one character',
      { data: good, headers: bearer(`${E2E_REVALIDATE_SECRET}x`) },
      401,
    ],
    [
      'a prefix of the secret',
      { data: good, headers: bearer(E2E_REVALIDATE_SECRET.slice(0, -1)) },
      401,
    ],
    [
      'a body that is not JSON',
      {
        data: '{"productIds": [',
        headers: { ...bearer(E2E_REVALIDATE_SECRET), 'content-type': 'application/json' },
      },
      400,
    ],
    ['no product ids', { data: { productIds: [] }, headers: bearer(E2E_REVALIDATE_SECRET) }, 400],
    [
      'an id that is a path',
      { data: { productIds: ['../../etc/passwd'] }, headers: bearer(E2E_REVALIDATE_SECRET) },
      400,
    ],
    [
      'an unknown field',
      { data: { ...good, tags: ['*'] }, headers: bearer(E2E_REVALIDATE_SECRET) },
      400,
    ],
    [
      'a body of 1 MB',
      { data: { productIds: ['a'.repeat(1_000_000)] }, headers: bearer(E2E_REVALIDATE_SECRET) },
      413,
    ],
  ];
  for (const [what, options, status] of refusals) {
    const response = await request.post('/api/revalidate', options);
    expect(response.status(), what).toBe(status);
    expect((await response.json()) as unknown, what).toHaveProperty('error');
  }
  const wrongMethod = await request.get('/api/revalidate');
  expect(wrongMethod.status()).toBe(405);

  const accepted = await request.post('/api/revalidate', {
    data: { productIds: ids },
    headers: bearer(E2E_REVALIDATE_SECRET),
  });
  expect(accepted.status()).toBe(200);
  expect(await accepted.json()).toEqual({ revalidated: ids });
  // The shop still serves its pages after all of it.
  expect((await request.get('/products')).status()).toBe(200);
});
