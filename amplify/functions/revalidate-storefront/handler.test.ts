import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  changedProductIds,
  handler,
  revalidateStorefrontWith,
  type RevalidateStorefrontDeps,
} from './handler';

// Powertools Logger writes through the global console with POWERTOOLS_DEV (its testing advice),
// set before the handler's module makes its Logger.
vi.hoisted(() => {
  process.env['POWERTOOLS_DEV'] = 'true';
});

const SECRET = 'a-shared-secret-of-at-least-32-characters';

/** An SNS delivery of order events, as AWS hands it to a subscribed function. */
const snsEvent = (...messages: string[]) => ({
  Records: messages.map((Message, i) => ({
    EventSource: 'aws:sns',
    Sns: { Type: 'Notification', MessageId: `m-${i}`, Message },
  })),
});
const completed = (...productIds: unknown[]) =>
  JSON.stringify({ type: 'OrderCompleted', orderId: 'o-1', productIds });

/** A storefront that records each call and answers as told (a status, or a failure). */
const fakeStorefront = (answer: (call: number) => Promise<Response> | Response) => {
  const calls: { url: string; authorization: string | null; body: unknown }[] = [];
  const fetchFake = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: String(input),
      authorization: headers.get('authorization'),
      body: JSON.parse(String(init?.body)),
    });
    const signal = init?.signal;
    const answered = Promise.resolve(answer(calls.length));
    // A slow storefront: the call ends when the caller's signal gives up.
    return signal
      ? Promise.race([
          answered,
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error)),
          ),
        ])
      : answered;
  }) as typeof fetch;
  return { fetch: fetchFake, calls };
};

const depsWith = (fetchFake: typeof fetch): RevalidateStorefrontDeps & { logged: unknown[] } => {
  const logged: unknown[] = [];
  return {
    storefrontUrl: 'https://shop.example',
    secret: SECRET,
    fetch: fetchFake,
    timeoutMs: 50,
    log: (entry) => logged.push(entry),
    logged,
  };
};

afterEach(() => vi.unstubAllEnvs());

describe('changedProductIds', () => {
  it('collects the product ids of every order event in a delivery, each once', () => {
    // Prepare
    const event = snsEvent(completed('p-mug', 'p-tee'), completed('p-tee', 'p-cap'));
    // Act
    const ids = changedProductIds(event);
    // Assess
    expect(ids).toEqual(['p-mug', 'p-tee', 'p-cap']);
  });

  it('ignores events that name no products, bodies that are not JSON and ids the storefront would refuse', () => {
    const event = snsEvent(
      JSON.stringify({ type: 'OrderShipped', orderId: 'o-1' }),
      'not json {',
      completed('p-ok', 'has space', '', 'x'.repeat(129), 42, '../etc/passwd', null),
    );
    expect(changedProductIds(event)).toEqual(['p-ok']);
  });

  it('reads nothing from an event that is not an SNS delivery', () => {
    for (const event of [null, 'x', {}, { Records: 'no' }, { Records: [{ Sns: {} }] }])
      expect(changedProductIds(event)).toEqual([]);
  });
});

describe('revalidateStorefrontWith', () => {
  it('POSTs the changed ids to /api/revalidate with the shared secret', async () => {
    // Prepare
    const storefront = fakeStorefront(() => new Response('{"revalidated":2}', { status: 200 }));
    const deps = depsWith(storefront.fetch);
    // Act
    const answers = await revalidateStorefrontWith(deps)(snsEvent(completed('p-mug', 'p-tee')));
    // Assess
    expect(storefront.calls).toEqual([
      {
        url: 'https://shop.example/api/revalidate',
        authorization: `Bearer ${SECRET}`,
        body: { productIds: ['p-mug', 'p-tee'] },
      },
    ]);
    expect(answers).toEqual([{ productIds: ['p-mug', 'p-tee'], status: 200 }]);
    expect(deps.logged).toEqual([expect.objectContaining({ event: 'StorefrontRevalidated' })]);
  });

  it('splits more than 100 ids into calls the storefront accepts', async () => {
    const storefront = fakeStorefront(() => new Response(null, { status: 200 }));
    const ids = Array.from({ length: 250 }, (_, i) => `p-${i}`);
    await revalidateStorefrontWith(depsWith(storefront.fetch))(snsEvent(completed(...ids)));
    expect(
      storefront.calls.map((c) => (c.body as { productIds: string[] }).productIds.length),
    ).toEqual([100, 100, 50]);
  });

  it('calls nobody for an event that changed no stock', async () => {
    const storefront = fakeStorefront(() => new Response(null, { status: 200 }));
    const answers = await revalidateStorefrontWith(depsWith(storefront.fetch))(
      snsEvent(JSON.stringify({ type: 'OrderShipped', orderId: 'o-1' })),
    );
    expect(storefront.calls).toEqual([]);
    expect(answers).toEqual([]);
  });

  it.each([401, 403, 500, 503])(
    'logs a storefront answering %i and resolves (the order is not failed)',
    async (status) => {
      // Prepare
      const storefront = fakeStorefront(() => new Response('no', { status }));
      const deps = depsWith(storefront.fetch);
      // Act
      const answers = await revalidateStorefrontWith(deps)(snsEvent(completed('p-mug')));
      // Assess
      expect(answers).toEqual([{ productIds: ['p-mug'], status }]);
      expect(deps.logged).toEqual([
        expect.objectContaining({ event: 'StorefrontNotTold', status }),
      ]);
    },
  );

  it('gives up on a storefront that does not answer within its timeout, and resolves', async () => {
    const storefront = fakeStorefront(() => new Promise<Response>(() => undefined));
    const deps = depsWith(storefront.fetch);
    const answers = await revalidateStorefrontWith(deps)(snsEvent(completed('p-mug')));
    expect(answers).toEqual([{ productIds: ['p-mug'], error: expect.any(String) }]);
    expect(deps.logged).toEqual([expect.objectContaining({ event: 'StorefrontNotTold' })]);
  });

  it('logs a storefront that is down (connection refused) and still tries the next batch', async () => {
    const storefront = fakeStorefront((call) =>
      call === 1
        ? Promise.reject(new TypeError('fetch failed'))
        : new Response(null, { status: 200 }),
    );
    const ids = Array.from({ length: 101 }, (_, i) => `p-${i}`);
    const answers = await revalidateStorefrontWith(depsWith(storefront.fetch))(
      snsEvent(completed(...ids)),
    );
    expect(answers.map((a) => a.status ?? a.error)).toEqual(['fetch failed', 200]);
  });
});

describe('handler', () => {
  it('logs a missing secret or storefront URL and calls nobody', async () => {
    // Prepare
    vi.stubEnv('STOREFRONT_URL', 'https://shop.example');
    vi.stubEnv('STOREFRONT_REVALIDATE_SECRET', 'too-short');
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fetched = vi.spyOn(globalThis, 'fetch');
    // Act
    const answers = await handler(snsEvent(completed('p-mug')));
    // Assess
    expect(answers).toEqual([]);
    expect(fetched).not.toHaveBeenCalled();
    expect(String(logged.mock.calls[0]?.[0])).toContain(
      'STOREFRONT_REVALIDATE_SECRET is malformed',
    );
    fetched.mockRestore();
    logged.mockRestore();
  });
});
