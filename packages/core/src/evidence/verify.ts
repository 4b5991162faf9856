/**
 * The verification library shared by the reference verifier and the auditor page.
 * Order (docs/evidence.md, Verification): size and JWE shape, the protected header's session id
 * and nonce against the expectations and the nonce store (read-only `lookup`, before any
 * decryption, so a made-up nonce costs next to nothing), decrypt, schema, header = manifest,
 * signature, artifact hashes, chain, timestamps, session start vs nonce issue time, and only
 * then `consume` (so a bundle that fails any check does not burn its nonce). Every failure is
 * an EkycError with an evidence_* code.
 */
import { EkycError } from '../errors.ts';
import { verifyArtifacts } from './artifacts.ts';
import { verifyChain } from './chain.ts';
import type { NonceConsumeResult, NonceLookupResult, NonceStore } from './nonce-store.ts';
import type { EvidenceBundle } from './schema.ts';
import { openEvidence, readSealedHeader, type VerifierKey } from './seal.ts';
import { verifyCanonicalSignature } from './signer.ts';
import { DEFAULT_TIMESTAMP_POLICY, verifyTimestamps, type TimestampPolicy } from './timestamps.ts';

export interface IntegrityOptions extends Partial<Omit<TimestampPolicy, 'now'>> {
  now?: Date;
}

/**
 * Signature, artifact hashes, chain and timestamps of an opened bundle. Needs no nonce store,
 * so an auditor can re-verify a stored bundle at any time (pass `now` = the time it was received).
 */
export async function verifyBundleIntegrity(bundle: EvidenceBundle, options: IntegrityOptions = {}): Promise<void> {
  const { manifest } = bundle;
  await verifyCanonicalSignature(manifest, bundle.signature, manifest.signer.publicKeyJwk);
  await verifyArtifacts(manifest, bundle.artifacts);
  await verifyChain(manifest);
  verifyTimestamps(manifest, { ...DEFAULT_TIMESTAMP_POLICY, ...options, now: options.now ?? new Date() });
}

export interface VerifyEvidenceOptions extends IntegrityOptions {
  decryptionKey: VerifierKey;
  nonceStore: NonceStore;
  /** When the upload is tied to a known session (e.g. by URL), the nonce it must carry. */
  expectedNonce?: string;
  expectedSessionId?: string;
  maxSealedBytes?: number;
}

export interface VerifiedEvidence {
  bundle: EvidenceBundle;
  nonceIssuedAt: string;
}

export async function verifyEvidence(sealed: Uint8Array, options: VerifyEvidenceOptions): Promise<VerifiedEvidence> {
  const openOptions = options.maxSealedBytes === undefined ? {} : { maxSealedBytes: options.maxSealedBytes };
  const header = readSealedHeader(sealed, openOptions);
  if (header.nonce === undefined || header.sessionId === undefined) {
    throw new EkycError('evidence_nonce_mismatch', 'The sealed header carries no session id and nonce.', { details: { reason: 'header_missing' } });
  }
  if (options.expectedNonce !== undefined && options.expectedNonce !== header.nonce) {
    throw new EkycError('evidence_nonce_mismatch', 'The bundle carries another nonce than the one expected.');
  }
  if (options.expectedSessionId !== undefined && options.expectedSessionId !== header.sessionId) {
    throw new EkycError('evidence_nonce_mismatch', 'The bundle belongs to another session than the one expected.');
  }
  const looked = await options.nonceStore.lookup(header.nonce, header.sessionId);
  if (looked.status !== 'valid') throw nonceRefusal(looked);

  // Decryption authenticates the header; openEvidence requires it to name the manifest's session and nonce.
  const bundle = await openEvidence(sealed, options.decryptionKey, openOptions);
  const { session } = bundle.manifest;
  await verifyBundleIntegrity(bundle, options);
  const skew = options.clockSkewMs ?? DEFAULT_TIMESTAMP_POLICY.clockSkewMs;
  if (Date.parse(session.startedAt) < Date.parse(looked.issued.issuedAt) - skew) {
    throw new EkycError('evidence_timestamp_invalid', 'The session starts before its nonce was issued.');
  }

  const consumed = await options.nonceStore.consume(session.nonce, session.id);
  if (consumed.status !== 'consumed') throw nonceRefusal(consumed);
  return { bundle, nonceIssuedAt: consumed.issued.issuedAt };
}

function nonceRefusal(result: Exclude<NonceLookupResult | NonceConsumeResult, { status: 'valid' | 'consumed' }>): EkycError {
  switch (result.status) {
    case 'replayed':
      return new EkycError('evidence_nonce_replayed', 'The nonce was already used by another bundle.');
    case 'expired':
      return new EkycError('evidence_timestamp_invalid', 'The nonce expired before the bundle arrived.');
    case 'unknown':
    case 'session_mismatch':
      return new EkycError('evidence_nonce_mismatch', 'The nonce was not issued for this session.', { details: { reason: result.status } });
  }
}
