/**
 * Local SSM Parameter Store (GetParameter, GetParameters, GetParametersByPath): serves the
 * AWS::SSM::Parameter values the templates declare (Amplify's resource references: GraphQL endpoint,
 * model introspection bucket, storage bucket names) and Amplify `secret()` values, which the
 * functions' bundled Amplify shim fetches at cold start through AWS_ENDPOINT_URL_SSM.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SsmParameterModel } from '../../assembly';
import { close, listen, type RunningEngine } from '../listen';
import {
  JSON_SIGNATURE_ERRORS,
  RequestSignatureError,
  verifyIncomingRequest,
  type LocalCredentials,
} from '../sigv4';
import type { LambdaFaults } from './faults';

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

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the parameter store endpoint (JSON 1.1 protocol, X-Amz-Target AmazonSSM.*). */
export async function startSsm(options: SsmEngineOptions): Promise<RunningEngine> {
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

  const server = createServer((req, res) => {
    readRequest(req, options)
      .then(({ target, body, raw }) => {
        if (isFaultHook(req)) {
          const answer = options.faults?.serve(req.method ?? 'GET', raw) ?? {
            status: 404,
            body: { message: 'Test hooks are off: start the backend with LOCAL_TEST_HOOKS=1' },
          };
          return reply(res, answer.status, answer.body);
        }
        const parsed = parseBody(body);
        switch (target) {
          case 'AmazonSSM.GetParameters': {
            const names = Array.isArray(parsed['Names']) ? parsed['Names'].map(String) : [];
            if (names.length === 0 || names.length > 10) {
              return reply(res, 400, {
                __type: 'ValidationException',
                message: 'Names must hold between 1 and 10 parameter names',
              });
            }
            const found = names.flatMap((n) => {
              const v = lookup(n);
              return v === undefined ? [] : [parameter(n, v)];
            });
            return reply(res, 200, {
              Parameters: found,
              InvalidParameters: names.filter((n) => lookup(n) === undefined),
            });
          }
          case 'AmazonSSM.GetParameter': {
            const name = String(parsed['Name'] ?? '');
            const value = lookup(name);
            if (value === undefined)
              return reply(res, 400, { __type: 'ParameterNotFound', message: '' });
            return reply(res, 200, { Parameter: parameter(name, value) });
          }
          case 'AmazonSSM.GetParametersByPath': {
            const prefix = String(parsed['Path'] ?? '/').replace(/\/?$/, '/');
            const recursive = parsed['Recursive'] === true;
            const found = [...declared.entries()]
              .filter(
                ([n]) =>
                  n.startsWith(prefix) && (recursive || !n.slice(prefix.length).includes('/')),
              )
              .map(([n, v]) => parameter(n, v));
            return reply(res, 200, { Parameters: found });
          }
          default:
            return reply(res, 400, {
              __type: 'UnknownOperationException',
              message: `Operation ${target} is not supported by the local SSM engine`,
            });
        }
      })
      .catch((error: unknown) => {
        if (error instanceof RequestSignatureError) {
          return reply(res, 403, {
            __type: JSON_SIGNATURE_ERRORS[error.problem],
            message: error.message,
          });
        }
        return reply(res, 400, {
          __type: 'ValidationException',
          message: error instanceof Error ? error.message : String(error),
        });
      });
  });
  await listen(server, 'SSM', options.port, options.host);
  return { url: `http://${options.host}:${options.port}`, stop: () => close(server) };
}

const isFaultHook = (req: IncomingMessage): boolean =>
  (req.url ?? '').split('?')[0] === '/_local/faults';

/** Reads the body and checks its signature before anything else, as SSM (and Lambda) do. */
async function readRequest(
  req: IncomingMessage,
  options: Pick<SsmEngineOptions, 'credentials' | 'region'>,
): Promise<{ target: string; body: string; raw: Buffer }> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body is larger than 1 MB');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  verifyIncomingRequest(req, raw, options.credentials, {
    service: isFaultHook(req) ? 'lambda' : 'ssm',
    region: options.region,
  });
  return { target, body: raw.toString('utf8') || '{}', raw };
}

function parseBody(text: string): Record<string, unknown> {
  const body = JSON.parse(text) as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new Error('Body must be an object');
  return body as Record<string, unknown>;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify(body));
}
