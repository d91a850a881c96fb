/** The local mailbox (its JSON API), as the shopper's inbox. */
import { fetchMailbox, type MailMessage } from '../../lib/mailbox';
import type { Backend } from './backend';

export type { MailMessage };

/** Messages sent to this address, newest first. */
export const inbox = (backend: Backend, to: string): Promise<MailMessage[]> =>
  fetchMailbox(backend.endpoints.mailbox, to);

/** Waits until the inbox holds a message whose subject matches (mail goes out asynchronously). */
export async function waitForMail(
  backend: Backend,
  to: string,
  subject: RegExp,
  timeoutMs = 15_000,
): Promise<MailMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox(backend, to)).find((m) => subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`No mail to ${to} matching ${subject} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
