import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { NodeSha256, SignatureError, verifySigV4, type SignedRequest } from './sigv4';

const KEY = { accessKeyId: 'LOCALACCESSKEY', secretAccessKey: 'localsecretkey' };
const secretFor = (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined);

/** A request as an AWS SDK client signs it (the same signer the SDK uses). */
async function signed(
  body: string,
  options: { at?: Date; headers?: Record<string, string> } = {},
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials: KEY,
    region: 'us-east-1',
    service: 'sqs',
    sha256: NodeSha256,
  });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4005,
      path: '/000000000000/OrdersQueue',
      query: { Action: 'SendMessage', 'a b': 'c/d' },
      headers: {
        host: '127.0.0.1:4005',
        'content-type': 'application/x-amz-json-1.0',
        ...options.headers,
      },
      body,
    },
    { signingDate: options.at ?? new Date() },
  );
  return {
    method: 'POST',
    path: '/000000000000/OrdersQueue',
    query: 'Action=SendMessage&a%20b=c%2Fd',
    headers: request.headers,
    body,
  };
}

const problemOf = async (request: SignedRequest): Promise<string> => {
  try {
    await verifySigV4(request, secretFor);
    return 'accepted';
  } catch (error) {
    if (error instanceof SignatureError) return error.problem;
    throw error;
  }
};

describe('Kit: verifySigV4', () => {
  it('accepts what the SDK signed, and names the key, region and service', async () => {
    await expect(verifySigV4(await signed('{"QueueUrl":"q"}'), secretFor)).resolves.toEqual({
      accessKeyId: 'LOCALACCESSKEY',
      region: 'us-east-1',
      service: 'sqs',
    });
  });

  it('refuses a body changed after signing', async () => {
    const request = await signed('{"MessageBody":"pay 1"}');
    expect(await problemOf({ ...request, body: '{"MessageBody":"pay 9"}' })).toBe('mismatch');
  });

  it('refuses a declared payload hash that is not the body’s (the signer alone would trust it)', async () => {
    const honest = createHash('sha256').update('{"a":1}').digest('hex');
    const request = await signed('{"a":1}', { headers: { 'x-amz-content-sha256': honest } });
    expect(await problemOf(request)).toBe('accepted');
    expect(await problemOf({ ...request, body: '{"a":2}' })).toBe('mismatch');
  });

  it('refuses a query string changed after signing', async () => {
    const request = await signed('{}');
    expect(await problemOf({ ...request, query: 'Action=DeleteQueue&a%20b=c%2Fd' })).toBe(
      'mismatch',
    );
  });

  it('refuses a signature older than 15 minutes, and an unknown key', async () => {
    const old = await signed('{}', { at: new Date(Date.now() - 20 * 60 * 1000) });
    expect(await problemOf(old)).toBe('expired');
    const request = await signed('{}');
    const authorization = String(request.headers['authorization']).replace(
      'LOCALACCESSKEY',
      'SOMEONEELSE',
    );
    expect(await problemOf({ ...request, headers: { ...request.headers, authorization } })).toBe(
      'unknownKey',
    );
  });
});
