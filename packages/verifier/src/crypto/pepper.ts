/**
 * Document numbers are kept only as HMAC-SHA-256 under a secret pepper (a keyed SHA-256), so a
 * leaked table cannot be reversed by hashing every possible number. Each pepper has an id; the
 * id is stored with the hash, and rotation adds a new pepper while old ones stay for lookups
 * (see docs/verifier.md, "Pepper rotation").
 */
import { createHmac } from 'node:crypto';
import { EkycError } from '@ekyc/core';

export interface Pepper {
  id: string;
  secret: Uint8Array;
}

export function parsePepper(id: string, base64url: string): Pepper {
  const secret = new Uint8Array(Buffer.from(base64url, 'base64url'));
  if (secret.byteLength < 16) throw new EkycError('invalid_argument', 'A pepper is at least 16 bytes of base64url.', { details: { id } });
  return { id, secret };
}

/** Uppercase, fillers and spaces removed: the same document number always hashes the same. */
export function normalizeDocumentNumber(documentNumber: string): string {
  return documentNumber.toUpperCase().replace(/[<\s-]/g, '');
}

export function hashDocumentNumber(documentNumber: string, pepper: Pepper, issuingState = ''): string {
  return createHmac('sha256', pepper.secret).update(`${issuingState.toUpperCase()}:${normalizeDocumentNumber(documentNumber)}`).digest('hex');
}
