/**
 * Per-session ECDSA P-256 key, generated in the browser by WebCrypto with extractable=false:
 * the private key can sign for this session but can never be read out, even by the page.
 * Signatures are compact JWS (ES256) with a detached payload: the JCS form of the manifest,
 * which carries the server nonce, this key's public JWK and the chain head.
 */
import { CompactSign, base64url, compactVerify, errors as joseErrors } from 'jose';
import { EkycError } from '../errors.ts';
import { isCanonicalBase64url } from './base64url-canonical.ts';
import { canonicalBytes } from './canonical.ts';
import type { EvidencePublicKeyJwk } from './schema.ts';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export interface SessionSigner {
  readonly publicKeyJwk: EvidencePublicKeyJwk;
  /** Detached compact JWS ("header..signature") over JCS(value). */
  signCanonical(value: unknown): Promise<string>;
}

/** WebCrypto refusing to create a key or sign is a runtime problem; keep our own errors as they are. */
function asRuntimeError(cause: unknown, message: string): EkycError {
  return cause instanceof EkycError ? cause : new EkycError('runtime_unavailable', message, { cause });
}

export async function createSessionSigner(): Promise<SessionSigner> {
  let pair: CryptoKeyPair;
  let jwk: JsonWebKey;
  try {
    pair = await globalThis.crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
    jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey);
  } catch (cause) {
    throw asRuntimeError(cause, 'WebCrypto could not create the session signing key.');
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) {
    throw new EkycError('runtime_unavailable', 'WebCrypto returned an unexpected public key.');
  }
  const publicKeyJwk: EvidencePublicKeyJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  return {
    publicKeyJwk,
    async signCanonical(value: unknown): Promise<string> {
      const payload = canonicalBytes(value);
      let jws: string;
      try {
        jws = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256' }).sign(pair.privateKey);
      } catch (cause) {
        throw asRuntimeError(cause, 'WebCrypto could not sign with the session key.');
      }
      const [header, , signature] = jws.split('.');
      return `${header}..${signature}`;
    },
  };
}

/** Verifies a detached compact JWS over JCS(value) with the given public key; throws `evidence_signature_invalid`. */
export async function verifyCanonicalSignature(value: unknown, detachedJws: string, publicKeyJwk: EvidencePublicKeyJwk): Promise<void> {
  const parts = detachedJws.split('.');
  if (parts.length !== 3 || parts[1] !== '' || !isCanonicalBase64url(parts[0] ?? '') || !isCanonicalBase64url(parts[2] ?? '')) {
    throw new EkycError('evidence_signature_invalid', 'Signature is not a detached compact JWS.');
  }
  let publicKey: CryptoKey;
  try {
    publicKey = await globalThis.crypto.subtle.importKey('jwk', { ...publicKeyJwk, ext: true }, ECDSA_P256, false, ['verify']);
  } catch (cause) {
    throw new EkycError('evidence_signature_invalid', 'Signer public key is not a valid P-256 point.', { cause });
  }
  const attached = `${parts[0]}.${base64url.encode(canonicalBytes(value))}.${parts[2]}`;
  try {
    await compactVerify(attached, publicKey, { algorithms: ['ES256'] });
  } catch (cause) {
    const reason = cause instanceof joseErrors.JOSEError ? cause.code : 'platform_error';
    throw new EkycError('evidence_signature_invalid', 'Signature does not verify over the manifest.', { cause, details: { reason } });
  }
}
