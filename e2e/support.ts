import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { fetchMailbox, findCode, type MailMessage } from '../lib/mailbox';
import { parseOutputs, type AmplifyOutputs } from '../lib/outputs';
import { injectFunctionFault } from '../tests/support/faults';
import { testClientId } from '../tests/support/shoppers';

/** Where scripts/e2e-server.ts has the local backend write its outputs. */
const OUTPUTS_PATH =
  process.env.AMPLIFY_OUTPUTS_PATH ??
  path.join(
    process.cwd(),
    '.tmp',
    `e2e-${process.env.E2E_LOCAL_PORT_BASE ?? '4800'}`,
    'amplify_outputs.json',
  );

export const ADMIN = {
  email: process.env.LOCAL_ADMIN_EMAIL ?? 'admin@example.com',
  password: process.env.LOCAL_ADMIN_PASSWORD ?? 'Admin-Passw0rd!',
};
export const PASSWORD = 'Shopper-Passw0rd!';

/** The e2e backend's amplify_outputs.json; throws a clear message when the backend is not there. */
export function outputs(): AmplifyOutputs & { auth: NonNullable<AmplifyOutputs['auth']> } {
  let text: string;
  try {
    text = readFileSync(OUTPUTS_PATH, 'utf8');
  } catch {
    throw new Error(
      `No ${OUTPUTS_PATH}: these specs need the local backend (scripts/e2e-server.ts starts it).`,
    );
  }
  const result = parseOutputs(text, OUTPUTS_PATH);
  if (!result.ok) throw new Error(result.detail);
  if (!result.outputs.auth) throw new Error('amplify_outputs.json has no auth section');
  return result.outputs as AmplifyOutputs & { auth: NonNullable<AmplifyOutputs['auth']> };
}

const local = () => {
  const found = outputs().custom?.local;
  if (!found?.mailbox || !found.cognito)
    throw new Error('amplify_outputs.json has no custom.local mailbox/cognito');
  return { mailbox: found.mailbox, cognito: found.cognito };
};

/** A fresh, unique shopper address for one test. */
export const newEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;

/** Waits until the local mailbox holds a message to `to` that matches. */
export async function waitForMail(
  to: string,
  matches: (message: MailMessage) => boolean,
  timeoutMs = 30_000,
): Promise<MailMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await fetchMailbox(local().mailbox, to)).find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No matching mail for ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const cognito = () =>
  new CognitoIdentityProviderClient({
    region: outputs().auth.aws_region,
    endpoint: local().cognito,
    credentials: { accessKeyId: 'LOCALACCESSKEY', secretAccessKey: 'localsecretkey' },
  });

/** Registers and confirms a shopper through the Cognito API (code read from the mailbox). */
export async function registerShopper(email: string, password = PASSWORD): Promise<void> {
  const clientId = outputs().auth.user_pool_client_id;
  const client = cognito();
  await client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  const mail = await waitForMail(email, (m) => findCode(m) !== null);
  await client.send(
    new ConfirmSignUpCommand({
      ClientId: clientId,
      Username: email,
      ConfirmationCode: findCode(mail)!,
    }),
  );
}

let signInClient: ReturnType<typeof cognito> | undefined;

/** An ID token for a user (USER_PASSWORD_AUTH through the tests' app client: the app's has SRP only). */
export async function idToken(email: string, password: string): Promise<string> {
  signInClient ??= cognito();
  const result = await signInClient.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: await testClientId(signInClient, outputs().auth.user_pool_id),
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const token = result.AuthenticationResult?.IdToken;
  if (!token) throw new Error(`No token for ${email}`);
  return token;
}

/** A GraphQL request as the admin (user pool auth): test setup such as setting a known stock. */
export async function asAdmin<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(outputs().data.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: await idToken(ADMIN.email, ADMIN.password),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

export interface TestProduct {
  id: string;
  name: string;
  priceCents: number;
  stock: number;
}

/** Active products as the API lists them (read with the API key). */
export async function listProducts(): Promise<TestProduct[]> {
  const response = await fetch(outputs().data.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': outputs().data.api_key ?? '' },
    body: JSON.stringify({
      query: '{ listProducts(limit: 1000) { items { id name priceCents stock active } } }',
    }),
  });
  const body = (await response.json()) as {
    data: { listProducts: { items: (TestProduct & { active: boolean })[] } };
  };
  return body.data.listProducts.items
    .filter((p) => p.active)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Puts a product's stock at a known value before a test. */
export async function setStock(id: string, stock: number): Promise<void> {
  await asAdmin(
    'mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { id stock } }',
    {
      input: { id, stock },
    },
  );
}

/** Stripe's documented test card numbers, as a shopper types them. */
/**
 * Makes the next run of a saga step slow (the browser tests' backend serves the local Lambda
 * engine's fault hook): the local saga can finish before the order page has drawn, and a step
 * that takes a few seconds, as a carrier's API can, leaves states to arrive live.
 */
export async function slowDownNextRun(functionName: string, delayMs: number): Promise<void> {
  const ssm = (outputs().custom?.local as { ssm?: unknown } | undefined)?.ssm;
  if (typeof ssm !== 'string') throw new Error('amplify_outputs.json has no custom.local.ssm');
  await injectFunctionFault({ endpoints: { ssm } }, { functionName, count: 1, delayMs });
}

export const TEST_CARDS = {
  pays: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
} as const;

/** Fails on any serious or critical axe violation, listing them. */
export async function expectAccessible(
  page: Page,
  testInfo: TestInfo,
  name: string,
): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  expect(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}
