import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { start, type MailMessage } from './index';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mailbox(maxMessages: number, dataDir = mkdtempSync(path.join(tmpdir(), 'mb-'))) {
  // Ports in perf's range, clear of the engines the local tests start.
  const engine = await start({
    host: '127.0.0.1',
    httpPort: 6171,
    smtpPort: 6172,
    dataDir,
    maxMessages,
  });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return { engine, dataDir };
}

const subjects = async (url: string): Promise<string[]> => {
  const { messages } = (await (await fetch(`${url}/messages`)).json()) as {
    messages: MailMessage[];
  };
  return messages.map((m) => m.subject).sort();
};

describe('the mailbox keeps a bounded number of messages', () => {
  it('drops the oldest past its bound, on disk too, and again when reopened with a lower one', async () => {
    const { engine, dataDir } = await mailbox(3);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: 6172,
      ignoreTLS: true,
      pool: true,
    });
    for (const n of [1, 2, 3, 4, 5])
      await transport.sendMail({
        from: 'shop@example.com',
        to: 'a@example.com',
        subject: `m${n}`,
        text: 'hi',
      });
    transport.close();
    expect(await subjects(engine.url)).toEqual(['m3', 'm4', 'm5']);
    expect(readdirSync(dataDir)).toHaveLength(3);
    await engine.stop();

    const reopened = await mailbox(2, dataDir);
    cleanups.push(() => reopened.engine.stop());
    expect(await subjects(reopened.engine.url)).toEqual(['m4', 'm5']);
    expect(readdirSync(dataDir)).toHaveLength(2);
  }, 30_000);
});
