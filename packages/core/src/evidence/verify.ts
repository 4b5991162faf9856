/**
 * The verification library shared by the reference verifier and the auditor page.
 * Order: size, decrypt, schema, signature, artifact hashes, chain, timestamps, then the nonce
 * (consumed last so a bundle that fails any other check does not burn it). Every failure is an
 * EkycError with an evidence_* code.
 */
import { EkycError } from '../errors.ts';
import { verifyArtifacts } from './artifacts.ts';
import { verifyChain } from './chain.ts';
import type { NonceStore } from './nonce-store.ts';
import type { EvidenceBundle } from './schema.ts';
import { openEvidence, type VerifierKey } from './seal.ts';
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
  const bundle = await openEvidence(sealed, options.decryptionKey, openOptions);
  const { session } = bundle.manifest;
  if (options.expectedNonce !== undefined && options.expectedNonce !== session.nonce) {
    throw new EkycError('evidence_nonce_mismatch', 'The bundle carries another nonce than the one expected.');
  }
  if (options.expectedSessionId !== undefined && options.expectedSessionId !== session.id) {
    throw new EkycError('evidence_nonce_mismatch', 'The bundle belongs to another session than the one expected.');
  }
  await verifyBundleIntegrity(bundle, options);

  const result = await options.nonceStore.consume(session.nonce, session.id);
  switch (result.status) {
    case 'consumed':
      break;
    case 'replayed':
      throw new EkycError('evidence_nonce_replayed', 'The nonce was already used by another bundle.');
    case 'expired':
      throw new EkycError('evidence_timestamp_invalid', 'The nonce expired before the bundle arrived.');
    case 'unknown':
    case 'session_mismatch':
      throw new EkycError('evidence_nonce_mismatch', 'The nonce was not issued for this session.', { details: { reason: result.status } });
  }
  const skew = options.clockSkewMs ?? DEFAULT_TIMESTAMP_POLICY.clockSkewMs;
  if (Date.parse(session.startedAt) < Date.parse(result.issued.issuedAt) - skew) {
    throw new EkycError('evidence_timestamp_invalid', 'The session starts before its nonce was issued.');
  }
  return { bundle, nonceIssuedAt: result.issued.issuedAt };
}
