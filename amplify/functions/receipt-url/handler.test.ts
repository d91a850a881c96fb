import { describe, expect, it } from 'vitest';
import { anOrder } from '../../domain/test-fixtures';
import { RECEIPT_LINK_SECONDS, receiptUrlWith } from './handler';

const order = anOrder({ owner: 'sub-1::ada', receiptKey: 'receipts/o.pdf' });
const handler = (stored = order) =>
  receiptUrlWith({
    findOrder: async (id) => (id === stored.id ? stored : null),
    presign: async (key, seconds) => `https://s3.test/${key}?X-Amz-Expires=${seconds}`,
    now: () => new Date('2030-01-01T00:00:00Z'),
  });

describe('Function: receiptUrl handler', () => {
  it('gives the owner a link that expires in 5 minutes', async () => {
    const link = await handler()({
      arguments: { orderId: order.id },
      identity: { sub: 'sub-1', username: 'ada' },
    });
    expect(link).toEqual({
      url: 'https://s3.test/receipts/o.pdf?X-Amz-Expires=300',
      expiresAt: '2030-01-01T00:05:00.000Z',
    });
    expect(RECEIPT_LINK_SECONDS).toBe(300);
  });

  it('gives an operator in ADMINS (identity.groups, as AppSync hands them) a link', async () => {
    const identity = { sub: 'admin', username: 'op', groups: ['ADMINS'] };
    await expect(handler()({ arguments: { orderId: order.id }, identity })).resolves.toHaveProperty(
      'url',
    );
  });

  it.each([
    ['another shopper', { sub: 'sub-2', username: 'bob' }],
    ['an unsigned caller', null],
    [
      'a shopper whose token claims ADMINS as a string',
      { sub: 'sub-2', username: 'bob', claims: { 'cognito:groups': 'ADMINS' } },
    ],
    [
      'a shopper with a cognito:groups claim but no AppSync groups',
      { sub: 'sub-2', username: 'bob', claims: { 'cognito:groups': ['ADMINS'] }, groups: null },
    ],
  ])('answers %s as if the order did not exist', async (_who, identity) => {
    await expect(handler()({ arguments: { orderId: order.id }, identity })).rejects.toMatchObject({
      name: 'ORDER_NOT_FOUND',
    });
  });

  it('answers a missing order with ORDER_NOT_FOUND', async () => {
    await expect(
      handler()({ arguments: { orderId: 'nope' }, identity: { sub: 'sub-1', username: 'ada' } }),
    ).rejects.toMatchObject({
      name: 'ORDER_NOT_FOUND',
    });
  });

  it('says when the receipt is not ready yet', async () => {
    await expect(
      handler({ ...order, receiptKey: null })({
        arguments: { orderId: order.id },
        identity: { sub: 'sub-1', username: 'ada' },
      }),
    ).rejects.toMatchObject({ name: 'RECEIPT_NOT_READY' });
  });

  it('refuses a missing orderId naming the field', async () => {
    await expect(
      handler()({ arguments: {}, identity: { sub: 'sub-1', username: 'ada' } }),
    ).rejects.toThrow(/orderId/);
  });
});
