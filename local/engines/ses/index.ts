/**
 * Local SES (v2 API): SendEmail with Simple or Raw content, as the real @aws-sdk/client-sesv2 sends
 * it, handed to the local mailbox in-process as a MIME message (SES delivers inside AWS; an SMTP
 * session per email cost the shared loop more than the email did).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { AwsError, requireSignature } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { BodyTooLargeError, close, readBody, sendJson, serveHttp } from '../kit/http';
import type { LocalCredentials } from '../kit/sigv4';
import type { MailboxEngine } from '../mailbox';

export interface SesEngineOptions {
  port: number;
  host: string;
  /** Where accepted mail goes: the local mailbox's intake. */
  deliver: MailboxEngine['deliver'];
  region: string;
  /** Every request must be SigV4-signed with these (the local credentials). */
  credentials: LocalCredentials;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const contentSchema = z.object({ Data: z.string(), Charset: z.string().optional() });
const sendEmailSchema = z.object({
  FromEmailAddress: z.string().min(3).optional(),
  Destination: z
    .object({
      ToAddresses: z.array(z.string()).optional(),
      CcAddresses: z.array(z.string()).optional(),
      BccAddresses: z.array(z.string()).optional(),
    })
    .optional(),
  ReplyToAddresses: z.array(z.string()).optional(),
  Content: z.object({
    Simple: z
      .object({
        Subject: contentSchema,
        Body: z.object({ Text: contentSchema.optional(), Html: contentSchema.optional() }),
      })
      .optional(),
    Raw: z.object({ Data: z.string() }).optional(),
    Template: z.unknown().optional(),
  }),
});

class SesError extends AwsError {
  constructor(type: string, status: number, message: string) {
    super(type, message, status);
    this.name = 'SesError';
  }
}

/** Starts the SESv2 endpoint; each accepted email is handed to the local mailbox. */
export async function start(options: SesEngineOptions): Promise<Engine> {
  const server = await serveHttp({
    engine: 'SES',
    host: options.host,
    port: options.port,
    handle: async (req, res) => reply(res, 200, await handle(req, options)),
    fail: (error, _req, res) => {
      const e =
        error instanceof AwsError
          ? error
          : new SesError('InternalFailure', 500, error instanceof Error ? error.message : 'failed');
      reply(res, e.status, { message: e.message }, e.code);
    },
  });
  return {
    url: `http://${options.host}:${options.port}`,
    stop: () => close(server),
  };
}

async function handle(
  req: IncomingMessage,
  options: Pick<SesEngineOptions, 'credentials' | 'region' | 'deliver'>,
): Promise<Record<string, unknown>> {
  const raw = await readBody(req, MAX_BODY_BYTES).catch((error: unknown) => {
    throw error instanceof BodyTooLargeError
      ? new SesError('MessageRejected', 400, 'Message length is more than 10 MB')
      : error;
  });
  await requireSignature(req, raw, {
    credentials: options.credentials,
    region: options.region,
    service: 'ses',
  });
  const url = new URL(req.url ?? '/', 'http://ses');
  if (req.method !== 'POST' || url.pathname !== '/v2/email/outbound-emails') {
    throw new SesError(
      'NotFoundException',
      404,
      `Unsupported operation ${req.method} ${url.pathname}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SesError('BadRequestException', 400, 'Request body is not valid JSON');
  }
  const parsed = sendEmailSchema.safeParse(json);
  if (!parsed.success) {
    throw new SesError(
      'BadRequestException',
      400,
      `Invalid SendEmail request: ${parsed.error.message}`,
    );
  }
  const input = parsed.data;
  const to = input.Destination?.ToAddresses ?? [];
  const cc = input.Destination?.CcAddresses ?? [];
  const bcc = input.Destination?.BccAddresses ?? [];
  const messageId = `${randomUUID()}-000000`;
  if (input.Content.Simple) {
    if (!input.FromEmailAddress)
      throw new SesError('BadRequestException', 400, 'Missing FromEmailAddress');
    if (to.length + cc.length + bcc.length === 0) {
      throw new SesError('BadRequestException', 400, 'Missing final destination');
    }
    const { Subject, Body } = input.Content.Simple;
    if (!Body.Text && !Body.Html)
      throw new SesError('BadRequestException', 400, 'Empty message body');
    const message = await new MailComposer({
      from: input.FromEmailAddress,
      to,
      cc,
      replyTo: input.ReplyToAddresses,
      subject: Subject.Data,
      text: Body.Text?.Data,
      html: Body.Html?.Data,
      messageId: `<${messageId}@email.amazonses.com>`,
    })
      .compile()
      .build();
    // Bcc recipients are in the envelope only, as an SMTP relay would send them.
    await options.deliver(message, { from: input.FromEmailAddress, to: [...to, ...cc, ...bcc] });
  } else if (input.Content.Raw) {
    const message = Buffer.from(input.Content.Raw.Data, 'base64');
    const headerTo = /^to:\s*(.+)$/im.exec(message.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '');
    const recipients = [...to, ...cc, ...bcc];
    if (recipients.length === 0 && headerTo?.[1]) recipients.push(...headerTo[1].split(','));
    if (recipients.every((r) => r.trim() === '')) {
      throw new SesError('BadRequestException', 400, 'Missing final destination');
    }
    await options.deliver(message, {
      from: input.FromEmailAddress ?? /^from:\s*(.+)$/im.exec(message.toString('utf8'))?.[1] ?? '',
      to: recipients.map((r) => r.trim()),
    });
  } else {
    throw new SesError(
      'BadRequestException',
      400,
      'Only Simple and Raw content are supported locally',
    );
  }
  return { MessageId: messageId };
}

function reply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  sendJson(res, status, body, {
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
}
