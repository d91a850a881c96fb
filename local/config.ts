/**
 * Settings of the local backend: ports from one base, the state folder, the local credentials.
 * Every engine and script reads them from here so that the numbers live in one place.
 */
import path from 'node:path';
import { z } from 'zod';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_ACCESS_KEY_ID = 'LOCALACCESSKEY';
export const LOCAL_SECRET_ACCESS_KEY = 'localsecretkey';
export const LOCAL_HOST = '127.0.0.1';
/** The admin that `npm run local` creates when LOCAL_ADMIN_EMAIL/LOCAL_ADMIN_PASSWORD are unset. */
export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
export const DEFAULT_ADMIN_PASSWORD = 'Admin-Passw0rd!';
/** The Stripe key the functions get offline; the local Stripe takes this secret key and no other. */
export const DEFAULT_LOCAL_STRIPE_SECRET_KEY = 'sk_test_local_offline';
/** The key the offline card form sends, as stripe.js sends a publishable key; the only one taken. */
export const DEFAULT_LOCAL_STRIPE_PUBLISHABLE_KEY = 'pk_test_local_offline';

/** Offsets from LOCAL_PORT_BASE: the shared contract in the team brief. */
export const PORT_OFFSETS = {
  graphql: 0,
  cognito: 1,
  dynamodb: 2,
  s3: 3,
  mailbox: 4,
  sqs: 5,
  sns: 6,
  stepfunctions: 7,
  stripe: 8,
  ses: 9,
  ssm: 10,
  httpApi: 11,
  logs: 12,
  smtp: 25,
} as const;

export type EngineName = keyof typeof PORT_OFFSETS;

/**
 * The fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking): browsers and
 * Node's fetch refuse to connect to them, so no engine a browser or fetch reaches may sit there.
 */
export const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

// SMTP is spoken over a plain socket (nodemailer), never through fetch or a browser.
const FETCHED_ENGINES = (Object.keys(PORT_OFFSETS) as EngineName[]).filter((n) => n !== 'smtp');

/** The engines a base would put on a bad port, with the port each would get. */
export const badPortsFor = (base: number): { engine: EngineName; port: number }[] =>
  FETCHED_ENGINES.map((engine) => ({ engine, port: base + PORT_OFFSETS[engine] })).filter((e) =>
    BAD_PORTS.has(e.port),
  );

/** The nearest base above `base` (a round hundred when there is one) that puts no engine on a bad port. */
export const suggestPortBase = (base: number): number => {
  for (let next = Math.floor(base / 100) * 100 + 100; next <= 65_000; next += 100)
    if (badPortsFor(next).length === 0) return next;
  for (let next = base - 1; next >= 1024; next -= 1)
    if (badPortsFor(next).length === 0) return next;
  return 4000;
};

/** Raised at start when LOCAL_PORT_BASE would put an engine where browsers and fetch cannot reach it. */
export class BadPortBaseError extends Error {
  constructor(
    readonly base: number,
    readonly bad: { engine: EngineName; port: number }[],
  ) {
    super(
      `LOCAL_PORT_BASE=${base} puts ${bad.map((b) => `the ${b.engine} engine on port ${b.port}`).join(' and ')}, ` +
        `which browsers and Node's fetch refuse to connect to (the fetch standard's "bad ports"). ` +
        `Pick another base, for example LOCAL_PORT_BASE=${suggestPortBase(base)}.`,
    );
    this.name = 'BadPortBaseError';
  }
}

export interface LocalEndpoints {
  graphql: string;
  realtime: string;
  cognito: string;
  dynamodb: string;
  s3: string;
  mailbox: string;
  smtp: string;
  sqs: string;
  sns: string;
  stepfunctions: string;
  stripe: string;
  ses: string;
  ssm: string;
  /** The HTTP APIs' base URL (API Gateway's `ApiEndpoint`): the Stripe webhook is under it. */
  httpApi: string;
  /** CloudWatch Logs: the functions' log lines (the operations page's order story reads them). */
  logs: string;
}

export interface LocalConfig {
  host: string;
  portBase: number;
  ports: Record<EngineName, number>;
  endpoints: LocalEndpoints;
  /** Absolute folder holding every engine's state (.amplify/local by default). */
  stateDir: string;
  /** Absolute path of the cloud assembly the engines are started from. */
  cdkOutDir: string;
  projectDir: string;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  admin: { email: string; password: string };
  stripeSecretKey: string;
  stripePublishableKey: string;
  /** Where the storefront serves, for links in emails; overrides the synthesized STOREFRONT_URL. */
  storefrontUrl: string | undefined;
  /** Seconds a function worker may sit unused before it is shut down; 0 keeps them all. */
  lambdaIdleSeconds: number;
  /** Worker threads the functions share (LOCAL_LAMBDA_WORKERS); 0 gives each function its own. */
  lambdaWorkers: number;
  /**
   * Multiplies the waits of the workflows' Retry policies (LOCAL_STEPFUNCTIONS_RETRY_SCALE, default
   * 1): test backends shorten them; the attempts, backoff and jitter stay as deployed.
   */
  stepFunctionsRetryScale: number;
  /**
   * How much history the engines keep, oldest dropped first, so a backend left running for days
   * stays small: emails in the mailbox, finished Step Functions executions, SNS's message log,
   * the newest log lines of each function's log group.
   */
  retention: {
    emails: number;
    finishedExecutions: number;
    snsMessages: number;
    logLinesPerGroup: number;
  };
  /**
   * Serve the test-only hooks (the Lambda fault hook, SNS's message log): LOCAL_TEST_HOOKS=1.
   * Off by default, so a backend someone runs offers nothing AWS would not.
   */
  testHooks: boolean;
}

const envSchema = z.object({
  LOCAL_PORT_BASE: z.coerce.number().int().min(1).max(65_000).default(4000),
  LOCAL_STATE_DIR: z.string().min(1).optional(),
  LOCAL_CDK_OUT: z.string().min(1).optional(),
  LOCAL_ADMIN_EMAIL: z.email().default(DEFAULT_ADMIN_EMAIL),
  LOCAL_ADMIN_PASSWORD: z.string().min(8).default(DEFAULT_ADMIN_PASSWORD),
  LOCAL_STRIPE_SECRET_KEY: z.string().min(1).default(DEFAULT_LOCAL_STRIPE_SECRET_KEY),
  LOCAL_STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_test_[A-Za-z0-9_]+$/, 'must be a test publishable key (pk_test_...)')
    .default(DEFAULT_LOCAL_STRIPE_PUBLISHABLE_KEY),
  LOCAL_LAMBDA_IDLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(900),
  LOCAL_LAMBDA_WORKERS: z.coerce.number().int().min(0).max(64).default(1), // lambda's DEFAULT_WORKERS
  LOCAL_STEPFUNCTIONS_RETRY_SCALE: z.coerce.number().min(0.01).max(1).default(1),
  LOCAL_KEEP_EMAILS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  LOCAL_KEEP_EXECUTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  LOCAL_KEEP_SNS_MESSAGES: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  LOCAL_KEEP_LOG_LINES: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  LOCAL_TEST_HOOKS: z.enum(['0', '1']).default('0'),
  LOCAL_STOREFRONT_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/** Reads the local backend's settings from the environment (LOCAL_PORT_BASE, LOCAL_STATE_DIR...). */
export function loadLocalConfig(
  env: NodeJS.ProcessEnv = process.env,
  projectDir: string = process.cwd(),
): LocalConfig {
  const parsed = envSchema.parse(env);
  const host = LOCAL_HOST;
  const base = parsed.LOCAL_PORT_BASE;
  const bad = badPortsFor(base);
  if (bad.length > 0) throw new BadPortBaseError(base, bad);
  const ports = Object.fromEntries(
    Object.entries(PORT_OFFSETS).map(([name, offset]) => [name, base + offset]),
  ) as Record<EngineName, number>;
  const http = (name: EngineName): string => `http://${host}:${ports[name]}`;
  return {
    host,
    portBase: base,
    ports,
    endpoints: {
      graphql: `${http('graphql')}/graphql`,
      realtime: `ws://${host}:${ports.graphql}/graphql/realtime`,
      cognito: http('cognito'),
      dynamodb: http('dynamodb'),
      s3: http('s3'),
      mailbox: http('mailbox'),
      smtp: `smtp://${host}:${ports.smtp}`,
      sqs: http('sqs'),
      sns: http('sns'),
      stepfunctions: http('stepfunctions'),
      stripe: http('stripe'),
      ses: http('ses'),
      ssm: http('ssm'),
      httpApi: http('httpApi'),
      logs: http('logs'),
    },
    stateDir: path.resolve(projectDir, parsed.LOCAL_STATE_DIR ?? '.amplify/local'),
    cdkOutDir: path.resolve(projectDir, parsed.LOCAL_CDK_OUT ?? 'cdk.out'),
    projectDir,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    admin: { email: parsed.LOCAL_ADMIN_EMAIL, password: parsed.LOCAL_ADMIN_PASSWORD },
    stripeSecretKey: parsed.LOCAL_STRIPE_SECRET_KEY,
    stripePublishableKey: parsed.LOCAL_STRIPE_PUBLISHABLE_KEY,
    storefrontUrl: parsed.LOCAL_STOREFRONT_URL,
    lambdaIdleSeconds: parsed.LOCAL_LAMBDA_IDLE_SECONDS,
    lambdaWorkers: parsed.LOCAL_LAMBDA_WORKERS,
    stepFunctionsRetryScale: parsed.LOCAL_STEPFUNCTIONS_RETRY_SCALE,
    retention: {
      emails: parsed.LOCAL_KEEP_EMAILS,
      finishedExecutions: parsed.LOCAL_KEEP_EXECUTIONS,
      snsMessages: parsed.LOCAL_KEEP_SNS_MESSAGES,
      logLinesPerGroup: parsed.LOCAL_KEEP_LOG_LINES,
    },
    testHooks: parsed.LOCAL_TEST_HOOKS === '1',
  };
}

/**
 * What every function gets besides its template environment: local credentials and the
 * standard endpoint settings, so the AWS SDK and the stripe SDK reach the local engines.
 */
export function lambdaEnvironment(config: LocalConfig): Record<string, string> {
  const e = config.endpoints;
  return {
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
    AWS_ENDPOINT_URL_S3: e.s3,
    AWS_ENDPOINT_URL_SQS: e.sqs,
    AWS_ENDPOINT_URL_SNS: e.sns,
    AWS_ENDPOINT_URL_SFN: e.stepfunctions,
    AWS_ENDPOINT_URL_SESV2: e.ses,
    AWS_ENDPOINT_URL_SSM: e.ssm,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: e.cognito,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: e.logs,
    // s3rver stores streamed bodies corrupted when the SDK adds its default CRC32 trailers.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    STRIPE_API_HOST: config.host,
    STRIPE_API_PORT: String(config.ports.stripe),
    STRIPE_API_PROTOCOL: 'http',
    // No X-Ray daemon offline: Powertools Tracer (and aws-xray-sdk-core) is then never loaded.
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}

/**
 * The functions with STOREFRONT_URL set to where the storefront actually serves. STOREFRONT_URL is
 * a deploy-time setting baked into the synthesized templates; offline the storefront's port is
 * chosen at run time (`PORT=3400 npm run dev`), so the local backend sets it as a Lambda
 * configuration update would, without a new synthesis.
 */
export function withStorefrontUrl<F extends { environment: Record<string, string> }>(
  functions: readonly F[],
  storefrontUrl: string | undefined,
): F[] {
  if (!storefrontUrl) return [...functions];
  return functions.map((fn) =>
    'STOREFRONT_URL' in fn.environment
      ? { ...fn, environment: { ...fn.environment, STOREFRONT_URL: storefrontUrl } }
      : fn,
  );
}
