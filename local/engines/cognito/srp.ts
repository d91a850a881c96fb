/**
 * The server side of Cognito's SRP-6a variant (USER_SRP_AUTH / PASSWORD_VERIFIER), the sign-in flow
 * aws-amplify uses by default: 3072-bit group, SHA-256, HKDF "Caldera Derived Key", HMAC signature.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

// RFC 5054's 3072-bit group, which Cognito uses with generator 2.
const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

/** Hex of a positive integer, even length, with 00 prepended when the top bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const hashHex = (hex: string): string =>
  createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').padStart(64, '0');
const hashText = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex').padStart(64, '0');
const toBig = (hex: string): bigint => BigInt(`0x${hex || '0'}`);

const k = toBig(hashHex(padHex(N) + padHex(g)));

/** The salt and verifier stored for a password: what the server keeps instead of the password. */
export interface SrpVerifier {
  salt: string;
  verifier: string;
}

/** Computes the verifier v = g^x for (pool, user id for SRP, password). */
export function createVerifier(poolName: string, userId: string, password: string): SrpVerifier {
  const salt = padHex(toBig(randomBytes(16).toString('hex')));
  const x = toBig(hashHex(salt + hashText(`${poolName}${userId}:${password}`)));
  return { salt, verifier: padHex(modPow(g, x, N)) };
}

/** The server's half of a started SRP exchange, kept until the client answers. */
export interface SrpSession {
  b: string;
  B: string;
  A: string;
}

/** Starts an exchange: validates A and returns the server's B (with its secret b). */
export function startExchange(verifier: SrpVerifier, aHex: string): SrpSession {
  const A = toBig(aHex);
  if (A % N === 0n) throw new Error('SRP_A is not valid');
  const v = toBig(verifier.verifier);
  let b = 0n;
  let B = 0n;
  do {
    b = toBig(randomBytes(128).toString('hex')) % N;
    B = (k * v + modPow(g, b, N)) % N;
  } while (B % N === 0n);
  return { b: b.toString(16), B: B.toString(16), A: aHex };
}

/** Checks the client's PASSWORD_CLAIM_SIGNATURE; true when the password was right. */
export function verifyClaim(input: {
  session: SrpSession;
  verifier: SrpVerifier;
  poolName: string;
  userId: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}): boolean {
  const A = toBig(input.session.A);
  const B = toBig(input.session.B);
  const b = toBig(input.session.b);
  const v = toBig(input.verifier.verifier);
  const u = toBig(hashHex(padHex(A) + padHex(B)));
  if (u === 0n) return false;
  const S = modPow(A * modPow(v, u, N), b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  const key = createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(input.poolName, 'utf8'),
        Buffer.from(input.userId, 'utf8'),
        Buffer.from(input.secretBlock, 'base64'),
        Buffer.from(input.timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
  return expected === input.signature;
}
