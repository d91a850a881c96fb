/**
 * Local mailbox: an SMTP server (and `deliver`, the same intake in-process) that keeps every message on disk, and a JSON API to read them
 * (GET /messages?to=, GET /messages/:id, DELETE /messages) for tests and the app's mailbox page.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Engine } from '../kit/engine';
import { close, explainListenError, serveHttp } from '../kit/http';

export interface MailboxOptions {
  host: string;
  httpPort: number;
  smtpPort: number;
  dataDir: string;
  /** Messages kept; the oldest go first past it (default 2000, a long day of development). */
  maxMessages?: number;
}

/** One stored message as the JSON API returns it. */
export interface MailMessage {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  date: string;
  receivedAt: string;
  attachments: { filename: string | null; contentType: string; size: number }[];
}

/** Who a message is from and for, as SMTP's MAIL FROM and RCPT TO give them. */
export interface Envelope {
  from: string;
  to: string[];
}

export interface MailboxEngine extends Engine {
  smtpUrl: string;
  /**
   * Takes a whole MIME message as the SMTP listener does, without a connection: how SES hands
   * mail over in this process (two SMTP sessions per order cost the loop more than the mail did).
   * Resolves once the message is on disk.
   */
  deliver: (message: Buffer | Readable, envelope: Envelope) => Promise<void>;
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) =>
    o.value.map((v) => (v.address ?? '').toLowerCase()).filter(Boolean),
  );

/** Starts the SMTP listener and the JSON API over one folder of messages. */
export async function start(options: MailboxOptions): Promise<MailboxEngine> {
  mkdirSync(options.dataDir, { recursive: true });
  const store = new MessageStore(options.dataDir, options.maxMessages ?? DEFAULT_MAX_MESSAGES);

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Every client is on this machine: a reverse DNS lookup per connection only costs time.
    disableReverseLookup: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const mailFrom = session.envelope.mailFrom;
      deliver(stream, {
        from: mailFrom ? mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
      })
        // Accepted only once it is on disk.
        .then(() => callback())
        .catch((error: unknown) => callback(error as Error));
    },
  });
  const deliver = async (message: Buffer | Readable, envelope: Envelope): Promise<void> => {
    const parsed = await simpleParser(message);
    const envelopeTo = envelope.to.map((address) => address.toLowerCase());
    await store.add({
      id: `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`,
      from: addresses(parsed.from)[0] ?? envelope.from,
      to: [...new Set([...addresses(parsed.to), ...envelopeTo])],
      cc: addresses(parsed.cc),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : null,
      date: (parsed.date ?? new Date()).toISOString(),
      receivedAt: new Date().toISOString(),
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename ?? null,
        contentType: a.contentType,
        size: a.size,
      })),
    });
  };
  await new Promise<void>((resolve, reject) => {
    const onError = (error: unknown): void =>
      reject(explainListenError('mailbox (SMTP)', options.smtpPort, options.host, error));
    // smtp-server re-emits its socket's errors on itself: listen for both while binding.
    smtp.server.once('error', onError);
    smtp.once('error', onError);
    smtp.listen(options.smtpPort, options.host, () => {
      smtp.server.off('error', onError);
      smtp.off('error', onError);
      resolve();
    });
  });
  // A client that drops mid-message must not bring the process down.
  smtp.on('error', () => undefined);

  let http: Awaited<ReturnType<typeof serveHttp>>;
  try {
    http = await serveHttp({
      engine: 'mailbox',
      host: options.host,
      port: options.httpPort,
      handle: (req, res) => handle(store, req, res),
      fail: (error, _req, res) =>
        send(res, 500, { message: error instanceof Error ? error.message : String(error) }),
    });
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  return {
    url: `http://${options.host}:${options.httpPort}`,
    smtpUrl: `smtp://${options.host}:${options.smtpPort}`,
    deliver,
    stop: async () => {
      await Promise.all([close(http), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
    },
  };
}

const DEFAULT_MAX_MESSAGES = 2000;

class MessageStore {
  private readonly messages: MailMessage[] = [];

  constructor(
    private readonly dir: string,
    private readonly maxMessages: number,
  ) {
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      try {
        this.messages.push(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as MailMessage);
      } catch {
        // A half-written file from a crash is skipped, not fatal.
      }
    }
    for (const oldest of this.messages.splice(0, Math.max(0, this.messages.length - maxMessages)))
      rmSync(path.join(dir, `${oldest.id}.json`), { force: true });
  }

  /** Writes the message without holding the event loop, then drops the oldest past the bound. */
  async add(message: MailMessage): Promise<void> {
    await writeFile(path.join(this.dir, `${message.id}.json`), JSON.stringify(message));
    this.messages.push(message);
    while (this.messages.length > this.maxMessages) {
      const oldest = this.messages.shift() as MailMessage;
      await rm(path.join(this.dir, `${oldest.id}.json`), { force: true });
    }
  }

  list(to?: string): MailMessage[] {
    const wanted = to?.toLowerCase();
    return this.messages
      .filter((m) => !wanted || m.to.includes(wanted))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.id.localeCompare(a.id));
  }

  get(id: string): MailMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  clear(to?: string): number {
    const doomed = this.list(to);
    for (const m of doomed) {
      rmSync(path.join(this.dir, `${m.id}.json`), { force: true });
      this.messages.splice(this.messages.indexOf(m), 1);
    }
    return doomed.length;
  }
}

async function handle(
  store: MessageStore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mailbox');
  if (req.method === 'OPTIONS') return send(res, 204, null);
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'messages' || parts.length > 2) {
    return send(res, 404, { message: `No route ${req.method} ${url.pathname}` });
  }
  const to = url.searchParams.get('to') ?? undefined;
  const id = parts[1] ? decodeURIComponent(parts[1]) : undefined;
  if (req.method === 'GET' && !id) return send(res, 200, { messages: store.list(to) });
  if (req.method === 'GET' && id) {
    const message = store.get(id);
    return message ? send(res, 200, message) : send(res, 404, { message: `No message ${id}` });
  }
  if (req.method === 'DELETE' && !id) return send(res, 200, { deleted: store.clear(to) });
  return send(res, 405, { message: `${req.method} is not supported on ${url.pathname}` });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, DELETE, OPTIONS',
    'access-control-allow-headers': 'content-type',
  });
  res.end(body === null ? undefined : JSON.stringify(body));
}
