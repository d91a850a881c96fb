import { z } from 'zod';

// A local engine's endpoint may be written as a plain URL or as { url }; both mean the same.
const endpoint = z
  .union([z.string().min(1), z.looseObject({ url: z.string().min(1) })])
  .transform((value) => (typeof value === 'string' ? value : value.url));

const localSchema = z.looseObject({
  graphql: endpoint.optional(),
  realtime: endpoint.optional(),
  cognito: endpoint.optional(),
  mailbox: endpoint.optional(),
  s3: endpoint.optional(),
  stripe: endpoint.optional(),
  /** What the offline card form sends to the local Stripe, as stripe.js sends a publishable key. */
  stripePublishableKey: z.string().optional(),
});

/** The parts of amplify_outputs.json (Gen 2 shape, plus custom.local) the storefront relies on. */
export const outputsSchema = z.looseObject({
  version: z.string().optional(),
  auth: z
    .looseObject({
      aws_region: z.string(),
      user_pool_id: z.string(),
      user_pool_client_id: z.string(),
    })
    .optional(),
  data: z.looseObject({
    url: z.string().url(),
    aws_region: z.string(),
    api_key: z.string().optional(),
    default_authorization_type: z.string().optional(),
    model_introspection: z.unknown().optional(),
  }),
  custom: z.looseObject({ local: localSchema.optional() }).optional(),
});

export type AmplifyOutputs = z.infer<typeof outputsSchema>;
export type LocalEndpoints = z.infer<typeof localSchema>;

/** Local-mode endpoints when the backend is the offline one; null against AWS. */
export const localEndpoints = (outputs: AmplifyOutputs): LocalEndpoints | null =>
  outputs.custom?.local ?? null;

/**
 * The outputs without the data model's introspection: all aws-amplify needs to sign a shopper out,
 * and small enough to send with every page.
 */
export const authOnlyOutputs = (outputs: AmplifyOutputs): AmplifyOutputs => {
  const { model_introspection: _modelIntrospection, ...data } = outputs.data;
  return { ...outputs, data };
};

export type OutputsResult =
  | { ok: true; outputs: AmplifyOutputs }
  | {
      ok: false;
      /** unreachable: the file names a local backend that does not answer (`path` is its URL). */
      reason: 'missing' | 'invalid' | 'unreachable';
      path: string;
      detail: string;
    };

/** Parses the file's text; never throws, so a page can explain what is wrong instead of crashing. */
export const parseOutputs = (text: string, path: string): OutputsResult => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid', path, detail: `not JSON: ${String(error)}` };
  }
  const parsed = outputsSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid', path, detail: z.prettifyError(parsed.error) };
  }
  return { ok: true, outputs: parsed.data };
};
