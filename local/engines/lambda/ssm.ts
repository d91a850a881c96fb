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
import type { LambdaFaults } from './faults';

export interface SsmEngineOptions {
  port: number;
  host: string;
  region: string;
  accountId: string;
  parameters: SsmParameterModel[];
  /** Amplify secret name (e.g. STRIPE_SECRET_KEY) -> value, for `/amplify/<app>/<branch>/<NAME>`. */
  secrets: Record<string, string>;
  /** The Lambda engine's fault hook, served at /_local/faults on this port (tests only). */
  faults?: LambdaFaults;
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
    if (options.faults?.handle(req, res)) return;
    handle(req)
      .then(([target, body]) => {
        switch (target) {
          case 'AmazonSSM.GetParameters': {
            const names = Array.isArray(body['Names']) ? body['Names'].map(String) : [];
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
            const name = String(body['Name'] ?? '');
            const value = lookup(name);
            if (value === undefined)
              return reply(res, 400, { __type: 'ParameterNotFound', message: '' });
            return reply(res, 200, { Parameter: parameter(name, value) });
          }
          case 'AmazonSSM.GetParametersByPath': {
            const prefix = String(body['Path'] ?? '/').replace(/\/?$/, '/');
            const recursive = body['Recursive'] === true;
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
      .catch((error: unknown) =>
        reply(res, 400, {
          __type: 'ValidationException',
          message: error instanceof Error ? error.message : String(error),
        }),
      );
  });
  await listen(server, 'SSM', options.port, options.host);
  return { url: `http://${options.host}:${options.port}`, stop: () => close(server) };
}

async function handle(req: IncomingMessage): Promise<[string, Record<string, unknown>]> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body is larger than 1 MB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8') || '{}';
  const body = JSON.parse(text) as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new Error('Body must be an object');
  return [target, body as Record<string, unknown>];
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify(body));
}
