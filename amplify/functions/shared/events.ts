import { z } from 'zod';
import { OrderValidationError } from '../../domain/errors';

/** A workflow step's input: `{ orderId }`, plus `error` ({Error, Cause}) on the compensation path. */
export const stepInputSchema = z.object({
  orderId: z.string().min(1).max(128),
  error: z.object({ Error: z.string().nullish(), Cause: z.string().nullish() }).nullish(),
});

export type StepInput = z.infer<typeof stepInputSchema>;

/** Parses a step's input; a malformed one is not retried (OrderValidationError). */
export const parseStepInput = (event: unknown): StepInput => {
  const parsed = stepInputSchema.safeParse(event);
  if (!parsed.success) {
    throw new OrderValidationError(
      'INVALID_ORDER',
      `step input must be {"orderId": "<id>"}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
};

/** The caller AppSync hands a Lambda resolver when the request was signed by a Cognito user. */
export const cognitoIdentitySchema = z.object({
  sub: z.string().min(1),
  username: z.string().min(1),
  claims: z.record(z.string(), z.unknown()).optional(),
  groups: z.array(z.string()).nullish(),
});

export type CognitoIdentity = z.infer<typeof cognitoIdentitySchema>;

/** An AppSync Lambda resolver event, as far as our resolvers read it. */
export const appSyncEventSchema = z.object({
  arguments: z.record(z.string(), z.unknown()),
  identity: z.unknown(),
});

/**
 * The caller's groups exactly as AppSync hands them (`identity.groups`, which AppSync derives from
 * the token's `cognito:groups` list). A claim is never read here: a string `cognito:groups` is not
 * something Cognito issues, and trusting one let a self-made attribute pass for ADMINS.
 */
export const groupsOf = (identity: CognitoIdentity): string[] => identity.groups ?? [];
