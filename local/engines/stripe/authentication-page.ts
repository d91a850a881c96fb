/**
 * The bank's authentication page for 3-D Secure test cards, like Stripe's own test page: the
 * shopper completes or fails the authentication. Reached only with the intent's client secret
 * (as Stripe's page is reached only through the link it makes), and it answers nothing else.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymentIntent } from './model';
import { parseForm } from './form';

export const AUTHENTICATION_PATH = /^\/3d_secure_2\/authenticate\/(pi_[A-Za-z0-9]+)$/;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Only the shop's own pages may be returned to: http(s) URLs, nothing else. */
const returnUrlOf = (raw: unknown): string | null => {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;padding:32px;max-width:420px}
h1{font-size:1.25rem;margin:0 0 8px}p{color:#3c4257;line-height:1.5}
.actions{display:flex;gap:12px;margin-top:24px}
button{flex:1;font-size:1rem;padding:12px;border-radius:8px;border:0;cursor:pointer;font-weight:600}
.complete{background:#635bff;color:#fff}.fail{background:#fff;color:#df1b41;border:1px solid #df1b41}
</style></head><body><main>${body}</main></body></html>`;

export interface AuthenticationPageDeps {
  intentOf(intentId: string): PaymentIntent;
  authenticate(intentId: string, completed: boolean): PaymentIntent;
}

/** Serves GET (the page) and POST (the shopper's answer); false when the path is not its own. */
export function serveAuthenticationPage(
  deps: AuthenticationPageDeps,
  method: string,
  target: URL,
  body: string,
  res: ServerResponse,
  _req: IncomingMessage,
): boolean {
  const match = AUTHENTICATION_PATH.exec(target.pathname);
  if (!match) return false;
  const intentId = match[1] ?? '';
  const params = method === 'POST' ? parseForm(body) : parseForm(target.search.slice(1));
  const secret = typeof params['client_secret'] === 'string' ? params['client_secret'] : '';
  const returnUrl = returnUrlOf(params['return_url']);
  const answer = (status: number, html: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action *",
      'x-frame-options': 'DENY',
      ...headers,
    });
    res.end(html);
  };
  let intent: PaymentIntent;
  try {
    intent = deps.intentOf(intentId);
  } catch {
    intent = undefined as never;
  }
  if (!intent || !secret || !sameSecret(secret, intent.client_secret)) {
    answer(404, page('Not found', '<h1>This authentication link is not valid.</h1>'));
    return true;
  }
  if (method === 'GET') {
    if (intent.status !== 'requires_action') {
      answer(
        200,
        page(
          '3D Secure 2 Test Page',
          `<h1>Nothing to authenticate</h1><p>This payment has already been answered.</p>${
            returnUrl ? `<p><a href="${escapeHtml(returnUrl)}">Return to the shop</a></p>` : ''
          }`,
        ),
      );
      return true;
    }
    const amount = `${(intent.amount / 100).toFixed(2)} ${intent.currency.toUpperCase()}`;
    const hidden = `<input type="hidden" name="client_secret" value="${escapeHtml(secret)}">${
      returnUrl ? `<input type="hidden" name="return_url" value="${escapeHtml(returnUrl)}">` : ''
    }`;
    answer(
      200,
      page(
        '3D Secure 2 Test Page',
        `<h1>3D Secure 2 Test Page</h1>
<p>This is a test page for a payment of ${escapeHtml(amount)} that requires authentication. In live mode your bank shows its own page here.</p>
<form method="post"><div class="actions">${hidden}
<button class="complete" name="action" value="complete">Complete</button>
<button class="fail" name="action" value="fail">Fail</button></div></form>`,
      ),
    );
    return true;
  }
  if (method !== 'POST' || (params['action'] !== 'complete' && params['action'] !== 'fail')) {
    answer(400, page('Bad request', '<h1>Choose Complete or Fail.</h1>'));
    return true;
  }
  if (intent.status === 'requires_action')
    deps.authenticate(intent.id, params['action'] === 'complete');
  if (returnUrl) answer(303, '', { location: returnUrl });
  else answer(200, page('Done', '<h1>Authentication answered</h1><p>You may close this page.</p>'));
  return true;
}
