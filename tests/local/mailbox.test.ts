/**
 * Local mail conformance against `npm run local`: SMTP into the mailbox, its JSON API, and SESv2
 * SendEmail (Simple and Raw content) through the real @aws-sdk/client-sesv2.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import { describe, expect, inject, it } from 'vitest';
import { start as startMailbox } from '../../local/engines/mailbox';
import { localEndpoint } from '../support/backend';

const backend = inject('localBackend');
const mailbox = backend.urls['mailbox'] ?? '';
const smtp = new URL(backend.urls['smtp'] ?? '');
const ses = new SESv2Client({
  ...localEndpoint(backend.urls['ses']),
  maxAttempts: 1,
});

interface Message {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
}

const inbox = async (to: string): Promise<Message[]> =>
  (
    (await (await fetch(`${mailbox}/messages?to=${encodeURIComponent(to)}`)).json()) as {
      messages: Message[];
    }
  ).messages;

const unique = (tag: string) =>
  `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

describe('Local mailbox', () => {
  it('keeps what arrives over SMTP and serves it by recipient and id', async () => {
    const to = unique('smtp');
    const transport = nodemailer.createTransport({
      host: smtp.hostname,
      port: Number(smtp.port),
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'shop@example.com',
      to,
      subject: 'Hello',
      text: 'Plain body',
      html: '<p>Html body</p>',
    });
    transport.close();
    const [message] = await inbox(to);
    expect(message).toMatchObject({
      from: 'shop@example.com',
      to: [to],
      subject: 'Hello',
    });
    expect(message?.text.trim()).toBe('Plain body');
    expect(message?.html).toContain('<p>Html body</p>');
    const byId = (await (await fetch(`${mailbox}/messages/${message!.id}`)).json()) as Message;
    expect(byId.subject).toBe('Hello');
    expect((await fetch(`${mailbox}/messages/nope`)).status).toBe(404);
  });

  it('explains a busy port instead of crashing', async () => {
    await expect(
      startMailbox({
        host: '127.0.0.1',
        httpPort: backend.portBase + 4,
        smtpPort: backend.portBase + 25,
        dataDir: `${backend.stateDir}/mailbox-busy-port-test`,
      }),
    ).rejects.toThrow(
      /Port \d+ for the local mailbox \(SMTP\) engine is already in use.*LOCAL_PORT_BASE/,
    );
  });

  it('deletes messages for one recipient', async () => {
    const to = unique('delete');
    const transport = nodemailer.createTransport({
      host: smtp.hostname,
      port: Number(smtp.port),
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({ from: 'a@example.com', to, subject: 'One', text: '1' });
    transport.close();
    expect(await inbox(to)).toHaveLength(1);
    const res = await fetch(`${mailbox}/messages?to=${encodeURIComponent(to)}`, {
      method: 'DELETE',
    });
    expect(((await res.json()) as { deleted: number }).deleted).toBe(1);
    expect(await inbox(to)).toHaveLength(0);
  });
});

describe('Local SES', () => {
  it('delivers SendEmail with Simple content (subject, text and html) to the mailbox', async () => {
    const to = unique('ses');
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'shop@example.com',
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: 'Your order is confirmed' },
            Body: {
              Text: { Data: 'Order 123 total $42.00' },
              Html: { Data: '<h1>Order 123</h1>' },
            },
          },
        },
      }),
    );
    expect(sent.MessageId).toBeTruthy();
    const [message] = await inbox(to);
    expect(message).toMatchObject({ from: 'shop@example.com', subject: 'Your order is confirmed' });
    expect(message?.text).toContain('Order 123 total $42.00');
    expect(message?.html).toContain('<h1>Order 123</h1>');
  });

  it('delivers a Bcc copy without showing the Bcc address to anyone', async () => {
    const to = unique('ses-to');
    const hidden = unique('ses-bcc');
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'shop@example.com',
        Destination: { ToAddresses: [to], BccAddresses: [hidden] },
        Content: {
          Simple: { Subject: { Data: 'Shipped' }, Body: { Text: { Data: 'On its way' } } },
        },
      }),
    );
    const [seenByTo] = await inbox(to);
    const [seenByBcc] = await inbox(hidden);
    expect(seenByTo?.subject).toBe('Shipped');
    expect(seenByBcc?.id).toBe(seenByTo?.id);
    const full = (await (
      await fetch(`${mailbox}/messages/${encodeURIComponent(seenByTo?.id ?? '')}`)
    ).json()) as Message & { cc: string[] };
    expect(JSON.stringify({ ...full, to: full.to.filter((a) => a !== hidden) })).not.toContain(
      hidden,
    );
  });

  it('delivers SendEmail with Raw content', async () => {
    const to = unique('raw');
    const raw = `From: shop@example.com\r\nTo: ${to}\r\nSubject: Raw hello\r\nContent-Type: text/plain\r\n\r\nRaw body\r\n`;
    await ses.send(
      new SendEmailCommand({
        Destination: { ToAddresses: [to] },
        Content: { Raw: { Data: Buffer.from(raw) } },
      }),
    );
    const [message] = await inbox(to);
    expect(message).toMatchObject({ subject: 'Raw hello' });
    expect(message?.text).toContain('Raw body');
  });

  it('refuses a message with no recipient with BadRequestException and sends nothing', async () => {
    await expect(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'shop@example.com',
          Destination: { ToAddresses: [] },
          Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'y' } } } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
  });

  it('refuses Raw content with no recipient anywhere and stores nothing', async () => {
    const before = (await (await fetch(`${mailbox}/messages`)).json()) as { messages: Message[] };
    const raw = `From: shop@example.com\r\nSubject: Nobody\r\n\r\nFor no one\r\n`;
    await expect(
      ses.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } })),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: 'Missing final destination' });
    const after = (await (await fetch(`${mailbox}/messages`)).json()) as { messages: Message[] };
    expect(after.messages.some((m) => m.subject === 'Nobody')).toBe(false);
    expect(after.messages.length).toBeLessThanOrEqual(before.messages.length);
  });

  it('keeps a line break in the subject from adding a header or a recipient', async () => {
    const to = unique('inject-to');
    const smuggled = unique('inject-bcc');
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'shop@example.com',
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: `Hello\r\nBcc: ${smuggled}` },
            Body: { Text: { Data: 'body' } },
          },
        },
      }),
    );
    const [message] = await inbox(to);
    expect(message?.subject).toContain('Hello');
    expect(await inbox(smuggled)).toEqual([]);
  });
});
