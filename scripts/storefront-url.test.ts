import { describe, expect, it } from 'vitest';
import { withStorefrontUrl } from '../local/config';
import { localStorefrontUrl } from './storefront-url';

describe('Script: the storefront URL in email links', () => {
  it('follows the port the storefront serves on', () => {
    expect(localStorefrontUrl({}, '3400')).toBe('http://localhost:3400');
  });

  it('keeps an address the developer gave', () => {
    expect(localStorefrontUrl({ STOREFRONT_URL: 'http://shop.lan:3000' }, '3400')).toBe(
      'http://shop.lan:3000',
    );
    expect(
      localStorefrontUrl(
        { LOCAL_STOREFRONT_URL: 'http://tunnel.example', STOREFRONT_URL: 'http://x' },
        '3400',
      ),
    ).toBe('http://tunnel.example');
  });

  it('replaces the synthesized STOREFRONT_URL in the functions that have one, and only theirs', () => {
    // Prepare
    const functions: { name: string; environment: Record<string, string> }[] = [
      { name: 'notify-customer', environment: { STOREFRONT_URL: 'http://localhost:3000', A: '1' } },
      { name: 'reserve-inventory', environment: { B: '2' } },
    ];
    // Act
    const updated = withStorefrontUrl(functions, 'http://localhost:3400');
    // Assess
    expect(updated).toEqual([
      { name: 'notify-customer', environment: { STOREFRONT_URL: 'http://localhost:3400', A: '1' } },
      { name: 'reserve-inventory', environment: { B: '2' } },
    ]);
    expect(functions[0]?.environment.STOREFRONT_URL).toBe('http://localhost:3000');
    expect(withStorefrontUrl(functions, undefined)).toEqual(functions);
  });
});
