import { z } from 'zod';

/**
 * The environment variables the functions read (names fixed by backend.ts). Read through zod
 * rather than `$amplify/env/<fn>`, which exists only after `ampx` generates it; each handler asks
 * only for what it uses, so a missing variable fails that handler with its name.
 */
const envSchema = z.object({
  PRODUCT_TABLE_NAME: z.string().min(1),
  ORDER_TABLE_NAME: z.string().min(1),
  ORDERS_QUEUE_URL: z.string().url(),
  ORDERS_DLQ_URL: z.string().url(),
  ORDERS_DLQ_ARN: z.string().min(1),
  ORDER_WORKFLOW_ARN: z.string().min(1),
  ORDER_EVENTS_TOPIC_ARN: z.string().min(1),
  ORDER_ERRORS_TOPIC_ARN: z.string().min(1),
  RECEIPTS_BUCKET_NAME: z.string().min(1),
  USER_POOL_ID: z.string().min(1),
  SHOP_FROM_EMAIL: z.string().min(3),
  STOREFRONT_URL: z.string().url(),
  // The storefront refuses a shorter one (lib/revalidate-request.ts MIN_SECRET_LENGTH).
  STOREFRONT_REVALIDATE_SECRET: z.string().min(32),
  STRIPE_SECRET_KEY: z.string().min(1),
  // Stripe's endpoint signing secrets start whsec_; the webhook refuses every delivery without one.
  STRIPE_WEBHOOK_SECRET: z.string().min(8),
  BANK_WAITS_TABLE_NAME: z.string().min(1),
  // `functionName=logGroupName,...`: the log groups whose lines carry an order id (backend.ts).
  ORDER_LOG_GROUPS: z
    .string()
    .regex(/^[A-Za-z0-9]+=[.\-_/#A-Za-z0-9]+(,[A-Za-z0-9]+=[.\-_/#A-Za-z0-9]+)*$/),
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().positive().optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
});

export type FunctionEnv = z.infer<typeof envSchema>;
export type EnvName = keyof FunctionEnv;

/** Reads the named variables, failing with every missing or malformed name listed. */
export const readEnv = <K extends EnvName>(
  names: readonly K[],
  source: NodeJS.ProcessEnv = process.env,
): Pick<FunctionEnv, K> => {
  const values: Record<string, unknown> = {};
  const faults: string[] = [];
  for (const name of names) {
    const raw = source[name] === '' ? undefined : source[name];
    const parsed = envSchema.shape[name].safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else faults.push(`${name} ${raw === undefined ? 'is not set' : 'is malformed'}`);
  }
  if (faults.length > 0)
    throw new Error(`Function environment is incomplete: ${faults.join('; ')}`);
  return values as Pick<FunctionEnv, K>;
};

/** The sender address and storefront URL emails and receipts use. */
export const shopEnv = (): Pick<FunctionEnv, 'SHOP_FROM_EMAIL' | 'STOREFRONT_URL'> =>
  readEnv(['SHOP_FROM_EMAIL', 'STOREFRONT_URL']);

/**
 * The shop details a receipt prints. generate-receipt may run without the mail settings (they are
 * only required where email is sent), so the sender address and URL have printable defaults.
 */
export const receiptShopEnv = (
  source: NodeJS.ProcessEnv = process.env,
): Pick<FunctionEnv, 'SHOP_FROM_EMAIL' | 'STOREFRONT_URL'> => ({
  SHOP_FROM_EMAIL: source.SHOP_FROM_EMAIL || 'orders@saga-storefront.example',
  STOREFRONT_URL: source.STOREFRONT_URL || 'https://saga-storefront.example',
});
