/**
 * Local SES (v2 API): SendEmail with Simple or Raw content, as the real @aws-sdk/client-sesv2 sends
 * it, delivered over SMTP into the local mailbox.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { close, listen, type RunningEngine } from '../listen';
import {
  JSON_SIGNATURE_ERRORS,
  RequestSignatureError,
  verifyIncomingRequest,
  type LocalCredentials,
} from '../sigv4';

export interface SesEngineOptions {
  port: number;
  host: string;
  smtpHost: string;
  smtpPort: number;
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

class SesError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SesError';
  }
}

/** Starts the SESv2 endpoint; each accepted email is relayed to the local SMTP mailbox. */
export async function startSes(options: SesEngineOptions): Promise<RunningEngine> {
  const transport = nodemailer.createTransport({
    host: options.smtpHost,
    port: options.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  const server = createServer((req, res) => {
    handle(req, transport, options)
      .then((body) => reply(res, 200, body))
      .catch((error: unknown) => {
        const e =
          error instanceof SesError
            ? error
            : new SesError(
                'InternalFailure',
                500,
                error instanceof Error ? error.message : 'failed',
              );
        reply(res, e.status, { message: e.message }, e.type);
      });
  });
  await listen(server, 'SES', options.port, options.host);
  return {
    url: `http://${options.host}:${options.port}`,
    stop: async () => {
      transport.close();
      await close(server);
    },
  };
}

async function handle(
  req: IncomingMessage,
  transport: nodemailer.Transporter,
  options: Pick<SesEngineOptions, 'credentials' | 'region'>,
): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  try {
    verifyIncomingRequest(req, raw, options.credentials, {
      service: 'ses',
      region: options.region,
    });
  } catch (error) {
    if (!(error instanceof RequestSignatureError)) throw error;
    throw new SesError(JSON_SIGNATURE_ERRORS[error.problem], 403, error.message);
  }
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
    await transport.sendMail({
      from: input.FromEmailAddress,
      to,
      cc,
      bcc,
      replyTo: input.ReplyToAddresses,
      subject: Subject.Data,
      text: Body.Text?.Data,
      html: Body.Html?.Data,
      messageId: `<${messageId}@email.amazonses.com>`,
    });
  } else if (input.Content.Raw) {
    const message = Buffer.from(input.Content.Raw.Data, 'base64');
    const headerTo = /^to:\s*(.+)$/im.exec(message.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '');
    const recipients = [...to, ...cc, ...bcc];
    if (recipients.length === 0 && headerTo?.[1]) recipients.push(...headerTo[1].split(','));
    await transport.sendMail({
      envelope: {
        from:
          input.FromEmailAddress ?? /^from:\s*(.+)$/im.exec(message.toString('utf8'))?.[1] ?? '',
        to: recipients.map((r) => r.trim()),
      },
      raw: message,
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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SesError('MessageRejected', 400, 'Message length is more than 10 MB'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}
