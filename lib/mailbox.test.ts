import { describe, expect, it } from 'vitest';
import { findCode, parseMailbox } from './mailbox';

describe('Mailbox: parseMailbox', () => {
  it('reads the local mailbox API shape, newest first', () => {
    const messages = parseMailbox({
      messages: [
        {
          id: 'a',
          from: 'shop@example.com',
          to: ['x@example.com'],
          subject: 'Old',
          text: 'hi',
          html: null,
          receivedAt: '2026-01-01T00:00:00Z',
        },
        {
          id: 'b',
          from: 'shop@example.com',
          to: ['x@example.com'],
          subject: 'New',
          text: 'Your code is 123456',
          html: null,
          receivedAt: '2026-01-02T00:00:00Z',
        },
      ],
    });
    expect(messages.map((m) => m.subject)).toEqual(['New', 'Old']);
    expect(findCode(messages[0]!)).toBe('123456');
    expect(findCode(messages[1]!)).toBeNull();
  });

  it('ignores what is not a message list', () => {
    expect(parseMailbox({ nope: true })).toEqual([]);
  });
});
