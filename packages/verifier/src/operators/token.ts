/**
 * Operator tokens: `ekop.<operator id>.<32 random bytes, base64url>`, shown once when the operator
 * is added. Only an scrypt hash (node:crypto) is stored. The secret has 256 bits of entropy, so
 * scrypt is defence in depth for a leaked table, not the only barrier; its cost (N=2^14, r=8,
 * ~16 MiB, tens of ms) is paid once per token and process thanks to the verified-token cache
 * in OperatorStore.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const TOKEN_PATTERN = /^ekop\.(op[0-9a-f]{20})\.([A-Za-z0-9_-]{43})$/;

export const newOperatorId = (): string => `op${randomBytes(10).toString('hex')}`;

export function newOperatorToken(operatorId: string): string {
  return `ekop.${operatorId}.${randomBytes(32).toString('base64url')}`;
}

/** The operator id a token names, or null when the string is not an operator token at all. */
export function operatorIdOf(token: string): string | null {
  return TOKEN_PATTERN.exec(token)?.[1] ?? null;
}

export async function hashOperatorToken(token: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(token, salt, KEY_BYTES, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison of the token's scrypt hash with the stored one. */
export async function verifyOperatorToken(token: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(token, Buffer.from(salt, 'base64url'), expected.byteLength, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return key.byteLength === expected.byteLength && timingSafeEqual(key, expected);
}

/** Hashed once per process: unknown operator ids still cost one scrypt, so timing does not tell ids apart. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashOperatorToken(newOperatorToken(newOperatorId())));
