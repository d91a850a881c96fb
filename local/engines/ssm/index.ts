/**
 * Local SSM Parameter Store (GetParameter, GetParameters, GetParametersByPath): serves the
 * AWS::SSM::Parameter values the templates declare (Amplify's resource references: GraphQL endpoint,
 * model introspection bucket, storage bucket names) and Amplify `secret()` values, which the
 * functions' bundled Amplify shim fetches at cold start through AWS_ENDPOINT_URL_SSM.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SsmParameterModel } from '../../assembly';
import { AwsError, awsJsonHandler, requireSignature } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { close, readBody, sendJson, serveHttp } from '../kit/http';
import type { LocalCredentials } from '../kit/sigv4';
import type { LambdaFaults } from '../lambda/faults';

export interface SsmEngineOptions {
  port: number;
  host: string;
  region: string;
  accountId: string;
  parameters: SsmParameterModel[];
  /** Amplify secret name (e.g. STRIPE_SECRET_KEY) -> value, for `/amplify/<app>/<branch>/<NAME>`. */
  secrets: Record<string, string>;
  /**
   * The Lambda engine's fault hook, served at /_local/faults on this port; given only when the
   * backend was started with test hooks enabled (signed requests, service `lambda`).
   */
  faults?: LambdaFaults;
  /** Every request must be SigV4-signed with these (the local credentials). */
  credentials: LocalCredentials;
}

/** Starts the parameter store endpoint (JSON 1.1 protocol, X-Amz-Target AmazonSSM.*). */
export async function start(options: SsmEngineOptions): Promise<Engine> {
  const declared = new Map(options.parameters.map((p) => [p.name, p.value]));
  const lookup = (name: string): string | undefined => {
    const value = declared.get(name);
    if (value !== undefined) return value;
    // Amplify secrets live at /amplify/<backend>/<branch>/<NAME> or /amplify/shared/<app>/<NAME>.
    if (name.startsWith('/amplify/') && !name.startsWith('/amplify/resource_reference/')) {
      return options.secrets[name.split('/').pop() ?? ''];
    }
    return undefined;
  };
  const parameter = (name: string, value: string): Record<string, unknown> => ({
    Name: name,
    Type: declared.has(name) ? 'String' : 'SecureString',
    Value: value,
    Version: 1,
    LastModifiedDate: 0,
    ARN: `arn:aws:ssm:${options.region}:${options.accountId}:parameter${name}`,
    DataType: 'text',
  });

  const invalid = (message: string) => new AwsError('ValidationException', message);
  const ssm = awsJsonHandler<Record<string, unknown>>({
    target: 'AmazonSSM',
    version: '1.1',
    signature: { credentials: options.credentials, region: options.region, service: 'ssm' },
    decode: (body) => {
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw invalid('Body must be an object');
      return body as Record<string, unknown>;
    },
    unknownOperation: (target) =>
      new AwsError(
        'UnknownOperationException',
        `Operation ${target} is not supported by the local SSM engine`,
      ),
    malformed: () => invalid('The request body is not valid JSON'),
    // SSM answers whatever else goes wrong with a request as a validation error.
    internal: (error) => invalid(error instanceof Error ? error.message : String(error)),
    tooLarge: () => invalid('Request body is larger than 1 MB'),
    operations: {
      GetParameters: (body) => {
        const names = Array.isArray(body['Names']) ? body['Names'].map(String) : [];
        if (names.length === 0 || names.length > 10)
          throw invalid('Names must hold between 1 and 10 parameter names');
        const found = names.flatMap((n) => {
          const v = lookup(n);
          return v === undefined ? [] : [parameter(n, v)];
        });
        return {
          Parameters: found,
          InvalidParameters: names.filter((n) => lookup(n) === undefined),
        };
      },
      GetParameter: (body) => {
        const name = String(body['Name'] ?? '');
        const value = lookup(name);
        if (value === undefined) throw new AwsError('ParameterNotFound', '');
        return { Parameter: parameter(name, value) };
      },
      GetParametersByPath: (body) => {
        const prefix = String(body['Path'] ?? '/').replace(/\/?$/, '/');
        const recursive = body['Recursive'] === true;
        const found = [...declared.entries()]
          .filter(
            ([n]) => n.startsWith(prefix) && (recursive || !n.slice(prefix.length).includes('/')),
          )
          .map(([n, v]) => parameter(n, v));
        return { Parameters: found };
      },
    },
  });

  const server = await serveHttp({
    engine: 'SSM',
    host: options.host,
    port: options.port,
    handle: (req, res) => (isFaultHook(req) ? serveFaults(req, res, options) : ssm(req, res)),
    fail: (error, _req, res) =>
      sendJson(
        res,
        error instanceof AwsError ? error.status : 400,
        {
          __type: error instanceof AwsError ? error.code : 'ValidationException',
          message: error instanceof Error ? error.message : String(error),
        },
        { 'content-type': 'application/x-amz-json-1.1' },
      ),
  });
  return { url: `http://${options.host}:${options.port}`, stop: () => close(server) };
}

const isFaultHook = (req: IncomingMessage): boolean =>
  (req.url ?? '').split('?')[0] === '/_local/faults';

/** The Lambda fault hook (tests only), signed for service `lambda` as a Lambda API call would be. */
async function serveFaults(
  req: IncomingMessage,
  res: ServerResponse,
  options: Pick<SsmEngineOptions, 'credentials' | 'region' | 'faults'>,
): Promise<void> {
  const raw = await readBody(req);
  await requireSignature(req, raw, {
    credentials: options.credentials,
    region: options.region,
    service: 'lambda',
  });
  const answer = options.faults?.serve(req.method ?? 'GET', raw) ?? {
    status: 404,
    body: { message: 'Test hooks are off: start the backend with LOCAL_TEST_HOOKS=1' },
  };
  sendJson(res, answer.status, answer.body, { 'content-type': 'application/x-amz-json-1.1' });
}
