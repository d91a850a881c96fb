import { describe, expect, it } from 'vitest';
import { isOwnedBy, orderIdFor, ownerOf } from './identity';

describe('Function: orderIdFor', () => {
  it('gives the same id for the same shopper and key', () => {
    expect(orderIdFor('sub-1::ada', 'key-00000001')).toBe(orderIdFor('sub-1::ada', 'key-00000001'));
  });

  it.each([
    ['sub-1::ada', 'key-00000002'],
    ['sub-2::bob', 'key-00000001'],
  ])('gives a different id for %s with %s', (owner, key) => {
    expect(orderIdFor(owner, key)).not.toBe(orderIdFor('sub-1::ada', 'key-00000001'));
  });

  it('is shaped like a version 8 UUID', () => {
    expect(orderIdFor('sub-1::ada', 'key-00000001')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('Function: ownerOf / isOwnedBy', () => {
  it('writes the owner as Amplify does and recognises its user', () => {
    const owner = ownerOf('sub-1', 'ada');
    expect(owner).toBe('sub-1::ada');
    expect(isOwnedBy(owner, 'sub-1')).toBe(true);
    expect(isOwnedBy(owner, 'sub-2')).toBe(false);
    expect(isOwnedBy('sub-10::x', 'sub-1')).toBe(false);
  });
});
