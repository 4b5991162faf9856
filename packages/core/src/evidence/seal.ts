/**
 * Confidentiality: the container is encrypted to the verifier's P-256 public key as a compact
 * JWE (alg ECDH-ES+A256KW, enc A256GCM) with jose. Only the verifier's private key opens it;
 * the sealed bytes are the UTF-8 of the compact serialization (media type application/jose).
 */
import { CompactEncrypt, base64url, compactDecrypt, errors as joseErrors, importJWK, type JWK } from 'jose';
import { EkycError } from '../errors.ts';
import { isCanonicalBase64url } from './base64url-canonical.ts';
import { decodeContainer, encodeContainer } from './container.ts';
import type { EvidenceBundle } from './schema.ts';

export const EVIDENCE_JWE_ALG = 'ECDH-ES+A256KW';
export const EVIDENCE_JWE_ENC = 'A256GCM';
export const EVIDENCE_CONTENT_TYPE = 'application/vnd.ekyc.evidence+ekb1';
/** Default ceiling for a sealed bundle; integrators size captures to stay well below it. */
export const DEFAULT_MAX_SEALED_BYTES = 32 * 1024 * 1024;

const A256GCM_TAG_CHARS = 22; // 16 bytes in unpadded base64url

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
  const header: { alg: string; enc: string; cty: string; kid?: string } = { alg: EVIDENCE_JWE_ALG, enc: EVIDENCE_JWE_ENC, cty: EVIDENCE_CONTENT_TYPE };
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

/** Decrypts and decodes sealed evidence; validates the header against the schema. No signature or chain checks. */
export async function openEvidence(sealed: Uint8Array, verifierPrivateKey: VerifierKey, options: SealOptions = {}): Promise<EvidenceBundle> {
  const maxSealedBytes = options.maxSealedBytes ?? DEFAULT_MAX_SEALED_BYTES;
  if (sealed.byteLength > maxSealedBytes) {
    throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: sealed.byteLength, maxSealedBytes } });
  }
  const parts = splitCompactJwe(sealed);
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
  return decodeContainer(plaintext);
}
