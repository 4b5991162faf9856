/**
 * What the auditor opens: sealed bytes (a compact JWE, `application/jose`) with the verifier's
 * private key, or a decrypted EKB1 container; told apart by their first bytes. The key file may be
 * a private JWK or the verifier's development `dev-secrets.json` (its `VERIFIER_PRIVATE_JWK`).
 */
import { EkycError } from '@ekyc/core';
import type { JWK } from 'jose';

export type BundleSource =
  | { kind: 'sealed'; sealed: Uint8Array; key: JWK | null; origin: string }
  | { kind: 'container'; container: Uint8Array; origin: string };

const EKB1 = [0x45, 0x4b, 0x42, 0x31];

export function classifyBundleBytes(bytes: Uint8Array, key: JWK | null, origin: string): BundleSource {
  if (EKB1.every((value, index) => bytes[index] === value)) return { kind: 'container', container: bytes, origin };
  // A compact JWE starts with the base64url of '{"' ("ey"); anything else is refused by decryption with its own code.
  return { kind: 'sealed', sealed: bytes, key, origin };
}

/** A private P-256 JWK from a key file: the JWK itself, or `{ "VERIFIER_PRIVATE_JWK": "<json>" }`. */
export function parsePrivateKeyFile(text: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new EkycError('invalid_argument', 'The key file is not JSON.', { cause });
  }
  const record = value as Record<string, unknown> | null;
  if (record !== null && typeof record === 'object' && typeof record['VERIFIER_PRIVATE_JWK'] === 'string') {
    return parsePrivateKeyFile(record['VERIFIER_PRIVATE_JWK']);
  }
  const jwk = record as JWK | null;
  if (jwk === null || typeof jwk !== 'object' || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new EkycError('invalid_argument', 'The key file holds no private P-256 JWK.');
  }
  return jwk;
}

export async function readFileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
