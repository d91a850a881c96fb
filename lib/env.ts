import { z } from 'zod';

const publicEnvSchema = z.object({
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9]+$/, 'must be a Stripe publishable key (pk_test_...)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

const serverEnvSchema = z.object({
  AMPLIFY_OUTPUTS_PATH: z.string().min(1).default('amplify_outputs.json'),
  /** Shared with the backend, which calls POST /api/revalidate with it; unset turns that off. */
  STOREFRONT_REVALIDATE_SECRET: z.string().optional(),
});

// Next inlines NEXT_PUBLIC_* only where they are spelled out in full, hence the explicit object.
const parsedPublic = publicEnvSchema.safeParse({
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY,
});
if (!parsedPublic.success) {
  throw new Error(`Invalid public environment: ${z.prettifyError(parsedPublic.error)}`);
}

/** Settings the browser may see. */
export const publicEnv = parsedPublic.data;

/** Settings only the server reads (parsed on first use so the browser bundle never asks). */
export const serverEnv = (): z.infer<typeof serverEnvSchema> => {
  const parsed = serverEnvSchema.safeParse({
    AMPLIFY_OUTPUTS_PATH: process.env.AMPLIFY_OUTPUTS_PATH || undefined,
    STOREFRONT_REVALIDATE_SECRET: process.env.STOREFRONT_REVALIDATE_SECRET || undefined,
  });
  if (!parsed.success) {
    throw new Error(`Invalid server environment: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
};
