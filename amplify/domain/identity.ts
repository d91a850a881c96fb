import { createHash } from 'node:crypto';

/** The owner value Amplify's owner rule compares with: `<sub>::<username>`. */
export const ownerOf = (sub: string, username: string): string => `${sub}::${username}`;

/** True when `owner` (as stored on an order) belongs to the user with this `sub`. */
export const isOwnedBy = (owner: string, sub: string): boolean => owner.split('::')[0] === sub;

/**
 * The order id for a shopper's idempotency key: a UUID-shaped (version 8, RFC 9562) digest of
 * (owner, key), so the same key from the same shopper always names the same order and two
 * shoppers' keys never collide.
 */
export const orderIdFor = (owner: string, idempotencyKey: string): string => {
  const hex = createHash('sha256').update(`${owner}\n${idempotencyKey}`).digest('hex').slice(0, 32);
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
};
