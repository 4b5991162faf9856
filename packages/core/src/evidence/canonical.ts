import canonicalize from 'canonicalize';
import { EkycError } from '../errors.ts';

/** RFC 8785 (JCS) text of a JSON value; the one form that is hashed and signed. */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (cause) {
    // NaN, Infinity, lone surrogates or cycles: not representable in JSON.
    throw new EkycError('evidence_schema_invalid', 'Value cannot be canonicalized as JSON.', { cause });
  }
  if (text === undefined) throw new EkycError('evidence_schema_invalid', 'Value has no JSON representation.');
  return text;
}

const utf8 = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8.encode(canonicalJson(value));
}

/** Lower-case hex SHA-256 of raw bytes. */
export async function sha256HexOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export async function sha256OfCanonical(value: unknown): Promise<string> {
  return sha256HexOf(canonicalBytes(value));
}
