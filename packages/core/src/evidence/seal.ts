/**
 * Confidentiality: the container is encrypted to the verifier's P-256 public key as a compact
 * JWE (alg ECDH-ES+A256KW, enc A256GCM) with jose. Only the verifier's private key opens it;
 * the sealed bytes are the UTF-8 of the compact serialization (media type application/jose).
 *
 * The protected header also carries the session id and nonce the verifier issued
 * (`ekyc_sid`, `ekyc_nonce`): JWE authenticates the protected header as AAD, so a verifier can
 * read them without decrypting, refuse an unknown nonce cheaply, and after decryption require
 * them to equal the manifest's.
 */
import { CompactEncrypt, base64url, compactDecrypt, errors as joseErrors, importJWK, type CompactJWEHeaderParameters, type JWK } from 'jose';
import { z } from 'zod';
import { EkycError } from '../errors.ts';
import { isCanonicalBase64url } from './base64url-canonical.ts';
import { decodeContainer, encodeContainer } from './container.ts';
import { sessionSchema, type EvidenceBundle } from './schema.ts';

export const EVIDENCE_JWE_ALG = 'ECDH-ES+A256KW';
export const EVIDENCE_JWE_ENC = 'A256GCM';
export const EVIDENCE_CONTENT_TYPE = 'application/vnd.ekyc.evidence+ekb1';
/** Default ceiling for a sealed bundle; integrators size captures to stay well below it. */
export const DEFAULT_MAX_SEALED_BYTES = 32 * 1024 * 1024;

const A256GCM_TAG_CHARS = 22; // 16 bytes in unpadded base64url
/** Private JWE header parameters binding the ciphertext to the verifier's session and nonce. */
export const EVIDENCE_HEADER_SESSION_ID = 'ekyc_sid';
export const EVIDENCE_HEADER_NONCE = 'ekyc_nonce';
/** The protected header is a few hundred bytes; anything much larger is not ours. */
const MAX_HEADER_CHARS = 4096;

const sealedHeaderSchema = z.object({
  alg: z.literal(EVIDENCE_JWE_ALG),
  enc: z.literal(EVIDENCE_JWE_ENC),
  cty: z.literal(EVIDENCE_CONTENT_TYPE),
  kid: z.string().max(256).optional(),
  [EVIDENCE_HEADER_SESSION_ID]: sessionSchema.shape.id.optional(),
  [EVIDENCE_HEADER_NONCE]: sessionSchema.shape.nonce.optional(),
});

/** What the protected header says, read without decrypting (authenticated only once decrypted). */
export interface SealedHeader {
  kid?: string;
  /** Absent in bundles sealed before the header carried them. */
  sessionId?: string;
  nonce?: string;
}

export type VerifierKey = CryptoKey | JWK;

export interface SealOptions {
  maxSealedBytes?: number;
}

async function asCryptoKey(key: VerifierKey, use: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  if (typeof globalThis.CryptoKey === 'function' && key instanceof globalThis.CryptoKey) return key;
  const jwk = key as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || (use === 'decrypt' && typeof jwk.d !== 'string')) {
    throw new EkycError('invalid_argument', `The verifier ${use === 'encrypt' ? 'public' : 'private'} key must be a P-256 EC JWK.`);
  }
  try {
    return (await importJWK(jwk, EVIDENCE_JWE_ALG)) as CryptoKey;
  } catch (cause) {
    throw new EkycError('invalid_argument', 'The verifier key could not be imported.', { cause });
  }
}

/** Encrypts a signed bundle to the verifier public key. Throws `evidence_too_large` above the limit. */
export async function sealEvidence(bundle: EvidenceBundle, verifierPublicKey: VerifierKey, options: SealOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const maxSealedBytes = options.maxSealedBytes ?? DEFAULT_MAX_SEALED_BYTES;
  const container = encodeContainer(bundle);
  // base64url grows the ciphertext by 4/3; check before spending time on encryption.
  const estimate = Math.ceil((container.byteLength * 4) / 3) + 1024;
  if (estimate > maxSealedBytes) {
    throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { estimatedBytes: estimate, maxSealedBytes } });
  }
  const key = await asCryptoKey(verifierPublicKey, 'encrypt');
  const header: CompactJWEHeaderParameters = {
    alg: EVIDENCE_JWE_ALG, enc: EVIDENCE_JWE_ENC, cty: EVIDENCE_CONTENT_TYPE,
    [EVIDENCE_HEADER_SESSION_ID]: bundle.manifest.session.id,
    [EVIDENCE_HEADER_NONCE]: bundle.manifest.session.nonce,
  };
  const kid = (verifierPublicKey as JWK).kid;
  if (typeof kid === 'string') header.kid = kid;
  const jwe = await new CompactEncrypt(container).setProtectedHeader(header).encrypt(key);
  const sealed = new TextEncoder().encode(jwe);
  if (sealed.byteLength > maxSealedBytes) {
    throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: sealed.byteLength, maxSealedBytes } });
  }
  return sealed;
}

/** Whether a (possibly cut) first segment is a JWE protected header, i.e. the input is a JWE cut short. */
function startsWithJweHeader(segment: string): boolean {
  if (!isCanonicalBase64url(segment)) return false;
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(segment)));
    return typeof header === 'object' && header !== null && (header as { enc?: unknown }).enc === EVIDENCE_JWE_ENC;
  } catch {
    return false;
  }
}

function splitCompactJwe(sealed: Uint8Array): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(sealed);
  } catch (cause) {
    throw new EkycError('evidence_decrypt_failed', 'Sealed evidence is not UTF-8 text.', { cause });
  }
  const parts = text.split('.');
  if (parts.length < 5 && !startsWithJweHeader(parts[0] ?? '')) {
    throw new EkycError('evidence_decrypt_failed', 'Sealed evidence is not a compact JWE.');
  }
  if (parts.length < 5 || (parts.length === 5 && (parts[4] ?? '').length < A256GCM_TAG_CHARS)) {
    throw new EkycError('evidence_truncated', 'Sealed evidence ends before its authentication tag.', { details: { bytes: sealed.byteLength, segments: parts.length } });
  }
  if (parts.length > 5 || !parts.every(isCanonicalBase64url)) {
    throw new EkycError('evidence_decrypt_failed', 'Sealed evidence is not a canonical compact JWE.');
  }
  return parts;
}

function checkedParts(sealed: Uint8Array, options: SealOptions): string[] {
  const maxSealedBytes = options.maxSealedBytes ?? DEFAULT_MAX_SEALED_BYTES;
  if (sealed.byteLength > maxSealedBytes) {
    throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: sealed.byteLength, maxSealedBytes } });
  }
  return splitCompactJwe(sealed);
}

function parseHeader(segment: string): SealedHeader {
  let json: unknown;
  try {
    if (segment.length > MAX_HEADER_CHARS) throw new RangeError('header too long');
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(segment)));
  } catch (cause) {
    throw new EkycError('evidence_decrypt_failed', 'Sealed evidence has no readable protected header.', { cause });
  }
  const parsed = sealedHeaderSchema.safeParse(json);
  if (!parsed.success) throw new EkycError('evidence_decrypt_failed', 'Sealed evidence has an unexpected protected header.');
  const header: SealedHeader = {};
  if (parsed.data.kid !== undefined) header.kid = parsed.data.kid;
  if (parsed.data[EVIDENCE_HEADER_SESSION_ID] !== undefined) header.sessionId = parsed.data[EVIDENCE_HEADER_SESSION_ID];
  if (parsed.data[EVIDENCE_HEADER_NONCE] !== undefined) header.nonce = parsed.data[EVIDENCE_HEADER_NONCE];
  return header;
}

/**
 * Reads the protected header of sealed evidence without decrypting it: size and shape checks,
 * then the session id and nonce. Cheap (no key agreement, no AES); not yet authenticated, which
 * `openEvidence` does by decrypting and comparing with the manifest.
 */
export function readSealedHeader(sealed: Uint8Array, options: SealOptions = {}): SealedHeader {
  const maxSealedBytes = options.maxSealedBytes ?? DEFAULT_MAX_SEALED_BYTES;
  if (sealed.byteLength > maxSealedBytes) {
    throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: sealed.byteLength, maxSealedBytes } });
  }
  // Only the first segment is read: on a 26 MB bundle, decoding and checking every segment cost
  // 40-60 ms of CPU before the nonce could be refused (measured); the full checks run in openEvidence.
  const end = sealed.subarray(0, MAX_HEADER_CHARS + 1).indexOf(0x2e);
  if (end < 0) {
    if (sealed.byteLength <= MAX_HEADER_CHARS) return parseHeader(splitCompactJwe(sealed)[0] ?? '');
    throw new EkycError('evidence_decrypt_failed', 'Sealed evidence is not a compact JWE.');
  }
  const segment = new TextDecoder().decode(sealed.subarray(0, end));
  if (!isCanonicalBase64url(segment)) throw new EkycError('evidence_decrypt_failed', 'Sealed evidence is not a canonical compact JWE.');
  return parseHeader(segment);
}

/**
 * Decrypts and decodes sealed evidence; validates the header against the schema and requires the
 * protected header's session id and nonce, when present, to equal the manifest's. No signature or chain checks.
 */
export async function openEvidence(sealed: Uint8Array, verifierPrivateKey: VerifierKey, options: SealOptions = {}): Promise<EvidenceBundle> {
  const parts = checkedParts(sealed, options);
  const header = parseHeader(parts[0] ?? '');
  const key = await asCryptoKey(verifierPrivateKey, 'decrypt');
  let plaintext: Uint8Array;
  try {
    const result = await compactDecrypt(parts.join('.'), key, {
      keyManagementAlgorithms: [EVIDENCE_JWE_ALG],
      contentEncryptionAlgorithms: [EVIDENCE_JWE_ENC],
    });
    if (result.protectedHeader.cty !== EVIDENCE_CONTENT_TYPE) {
      throw new EkycError('evidence_schema_invalid', 'Sealed evidence has an unexpected content type.');
    }
    plaintext = result.plaintext;
  } catch (cause) {
    if (cause instanceof EkycError) throw cause;
    if (cause instanceof joseErrors.JOSEError) {
      throw new EkycError('evidence_decrypt_failed', 'Sealed evidence could not be decrypted with the verifier key.', { cause, details: { reason: cause.code } });
    }
    // WebCrypto rejects e.g. a tampered ephemeral public key with a DOMException.
    throw new EkycError('evidence_decrypt_failed', 'Sealed evidence could not be decrypted with the verifier key.', { cause });
  }
  const bundle = decodeContainer(plaintext);
  const { session } = bundle.manifest;
  if ((header.sessionId !== undefined && header.sessionId !== session.id) || (header.nonce !== undefined && header.nonce !== session.nonce)) {
    throw new EkycError('evidence_nonce_mismatch', 'The sealed header names another session or nonce than the manifest.');
  }
  return bundle;
}
