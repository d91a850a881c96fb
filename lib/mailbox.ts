import { z } from 'zod';

const address = z.union([
  z.string(),
  z
    .looseObject({ address: z.string().optional(), name: z.string().optional() })
    .transform((value) => value.address ?? value.name ?? ''),
]);
const addresses = z
  .union([address, z.array(address), z.looseObject({ text: z.string() })])
  .transform((value) =>
    Array.isArray(value) ? value : typeof value === 'string' ? [value] : [String(value)],
  );

const messageSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  from: addresses.optional(),
  to: addresses.optional(),
  subject: z.string().default(''),
  text: z.string().nullish(),
  html: z.string().nullish(),
  date: z.string().nullish(),
  receivedAt: z.string().nullish(),
});

/** A message the local mailbox caught. */
export interface MailMessage {
  id: string;
  from: string[];
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string | null;
}

const stripTags = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Reads the mailbox JSON API's answer (an array, or `{ messages: [...] }`), newest first. */
export const parseMailbox = (body: unknown): MailMessage[] => {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { messages?: unknown }).messages)
      ? (body as { messages: unknown[] }).messages
      : [];
  const messages: MailMessage[] = [];
  for (const item of list) {
    const parsed = messageSchema.safeParse(item);
    if (!parsed.success) continue;
    const m = parsed.data;
    messages.push({
      id: m.id,
      from: m.from ?? [],
      to: m.to ?? [],
      subject: m.subject,
      text: m.text ?? (m.html ? stripTags(m.html) : ''),
      html: m.html ?? null,
      receivedAt: m.receivedAt ?? m.date ?? null,
    });
  }
  return messages.sort((a, b) => (b.receivedAt ?? '').localeCompare(a.receivedAt ?? ''));
};

/** Messages in the local mailbox at `baseUrl` (custom.local.mailbox), newest first; `to` filters. */
export async function fetchMailbox(baseUrl: string, to?: string): Promise<MailMessage[]> {
  const url = new URL('messages', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (to) url.searchParams.set('to', to);
  const response = await fetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The local mailbox answered ${response.status} at ${url}`);
  return parseMailbox(await response.json());
}

/** The first six-digit code in a message (Cognito's confirmation codes are six digits). */
export const findCode = (message: MailMessage): string | null =>
  /\b(\d{6})\b/.exec(`${message.subject} ${message.text}`)?.[1] ?? null;
