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

/** The caller's groups, from `identity.groups` or the `cognito:groups` claim. */
export const groupsOf = (identity: CognitoIdentity): string[] => {
  if (identity.groups) return identity.groups;
  const claim = identity.claims?.['cognito:groups'];
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim === 'string') return claim.split(/[,\s]+/).filter(Boolean);
  return [];
};
