/**
 * Evidence intake, independent of HTTP: the upload protocol of docs/evidence.md, then
 * decryption and verification with @ekyc/core's evidence library, the session's own checks
 * (right session, right nonce, the key bound to it) and, in one transaction, the nonce consumed,
 * the bundle stored (envelope-encrypted) and its re-scoring job enqueued.
 *
 * Order: known key (a retry answers the stored acknowledgement) -> session state (before any
 * decryption: unknown, expired, already used, no key bound) -> bytes (hash or chunk assembly) ->
 * the sealed header's session and nonce (still before decryption) -> decrypt + schema -> session id and nonce -> key binding -> signature, hashes, chain,
 * timestamps -> atomic consume + store + enqueue.
 */
import {
  ChunkAssembler, DEFAULT_TIMESTAMP_POLICY, EkycError, encodeContainer, evidenceAck, evidencePartial, openEvidence,
  readSealedHeader, readUploadRequest, sealedEvidenceId, verifyBundleIntegrity,
  type EvidenceAck, type EvidencePartial, type EvidencePublicKeyJwk, type VerifierKey,
} from '@ekyc/core';
import { sealEnvelope, type KeyEncryptionKey } from '../crypto/envelope.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { NonceConsumeError, type SessionStore } from '../storage/session-store.ts';

export interface IntakeRequest {
  sessionId: string;
  header(name: string): string | null | undefined;
  body: Uint8Array;
}

export type IntakeAnswer =
  | { status: 200 | 201; body: EvidenceAck }
  | { status: 202; body: EvidencePartial };

export interface IntakeDeps {
  store: SessionStore;
  queue: JobQueue;
  assembler: ChunkAssembler;
  decryptionKey: VerifierKey;
  /** Older verifier keys by `kid` (rotation): a bundle whose header names one is opened with it. */
  previousKeys?: ReadonlyMap<string, VerifierKey>;
  kek: KeyEncryptionKey;
  maxSealedBytes: number;
  now?: () => Date;
}

/** Additional data binding stored ciphertext to its session and bundle. */
export const evidenceAad = (sessionId: string, idempotencyKey: string): string => `ekyc-evidence:${sessionId}:${idempotencyKey}`;

const sameKey = (a: EvidencePublicKeyJwk, b: EvidencePublicKeyJwk): boolean => a.kty === b.kty && a.crv === b.crv && a.x === b.x && a.y === b.y;

export class EvidenceIntake {
  readonly #deps: IntakeDeps;
  readonly #now: () => Date;

  constructor(deps: IntakeDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  async receive(request: IntakeRequest): Promise<IntakeAnswer> {
    const { store } = this.#deps;
    const upload = readUploadRequest(request.header);
    const known = await this.#known(upload.key, request.sessionId);
    if (known !== null) return known;

    const now = this.#now();
    const session = await store.getSession(request.sessionId);
    if (session === null) throw new EkycError('session_not_found', 'No session has this id.');
    if (session.nonceConsumedAt !== null) throw new EkycError('evidence_nonce_replayed', 'This session already received its evidence.');
    if (session.expiresAt.getTime() <= now.getTime()) throw new EkycError('session_expired', 'The session expired before its evidence arrived.');
    if (session.signingKey === null) throw new EkycError('evidence_key_mismatch', 'No signing key was registered for this session.', { details: { reason: 'no_key_registered' } });

    let sealed: Uint8Array;
    if (upload.kind === 'whole') {
      if (request.body.byteLength > this.#deps.maxSealedBytes) throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.');
      if ((await sealedEvidenceId(request.body)) !== upload.key) throw new EkycError('evidence_hash_mismatch', 'The body does not match its idempotency key.');
      sealed = request.body;
    } else {
      const result = await this.#deps.assembler.accept({ key: upload.key, index: upload.index, count: upload.count, totalBytes: upload.totalBytes, bytes: request.body });
      if (result.status === 'partial') return { status: 202, body: evidencePartial(upload.key, result.missing) };
      sealed = result.sealed;
    }

    // The protected header names the session and nonce: a bundle for another one is refused
    // before any decryption (openEvidence then checks the header against the manifest).
    const header = readSealedHeader(sealed, { maxSealedBytes: this.#deps.maxSealedBytes });
    if (header.sessionId !== undefined && header.sessionId !== session.id) {
      throw new EkycError('evidence_nonce_mismatch', 'The bundle belongs to another session.', { details: { reason: 'session_mismatch' } });
    }
    if (header.nonce !== undefined && header.nonce !== session.nonce) {
      throw new EkycError('evidence_nonce_mismatch', 'The bundle carries another nonce than its session.', { details: { reason: 'nonce_mismatch' } });
    }
    const key = (header.kid !== undefined ? this.#deps.previousKeys?.get(header.kid) : undefined) ?? this.#deps.decryptionKey;
    const bundle = await openEvidence(sealed, key, { maxSealedBytes: this.#deps.maxSealedBytes });
    const { manifest } = bundle;
    if (manifest.session.id !== session.id) {
      throw new EkycError('evidence_nonce_mismatch', 'The bundle belongs to another session.', { details: { reason: 'session_mismatch' } });
    }
    if (manifest.session.nonce !== session.nonce) {
      throw new EkycError('evidence_nonce_mismatch', 'The bundle carries another nonce than its session.', { details: { reason: 'nonce_mismatch' } });
    }
    if (!sameKey(manifest.signer.publicKeyJwk, session.signingKey)) {
      throw new EkycError('evidence_key_mismatch', 'The bundle is signed by another key than the one registered for its session.');
    }
    await verifyBundleIntegrity(bundle, { now });
    if (Date.parse(manifest.session.startedAt) < session.createdAt.getTime() - DEFAULT_TIMESTAMP_POLICY.clockSkewMs) {
      throw new EkycError('evidence_timestamp_invalid', 'The session starts before it was created.');
    }

    const envelope = await sealEnvelope(encodeContainer(bundle), this.#deps.kek, evidenceAad(session.id, upload.key));
    const receivedAt = now;
    try {
      await store.acceptEvidence(
        { idempotencyKey: upload.key, sessionId: session.id, receivedAt, sealedBytes: sealed.byteLength, sealedHeader: protectedHeaderOf(sealed), envelope },
        session.nonce,
        (tx) => this.#deps.queue.enqueueRescore(tx, session.id),
      );
    } catch (error) {
      if (error instanceof NonceConsumeError) {
        // The same bundle may have been stored by a concurrent request: that is a retry, not a replay.
        const raced = await this.#known(upload.key, request.sessionId);
        if (raced !== null) return raced;
        switch (error.refusal) {
          case 'replayed': throw new EkycError('evidence_nonce_replayed', 'This session already received its evidence.');
          case 'expired': throw new EkycError('session_expired', 'The session expired before its evidence arrived.');
          default: throw new EkycError('evidence_nonce_mismatch', 'The nonce was not issued for this session.', { details: { reason: error.refusal } });
        }
      }
      throw error;
    }
    return { status: 201, body: evidenceAck(upload.key, { receivedAt, sessionId: session.id }) };
  }

  /** A key already received: a retry gets the stored acknowledgement; the same bytes for another session are refused. */
  async #known(key: string, sessionId: string): Promise<IntakeAnswer | null> {
    const existing = await this.#deps.store.findEvidence(key);
    if (existing === null) return null;
    if (existing.sessionId !== sessionId) throw new EkycError('evidence_nonce_mismatch', 'This bundle was received for another session.', { details: { reason: 'session_mismatch' } });
    return { status: 200, body: evidenceAck(key, { receivedAt: existing.receivedAt, sessionId }) };
  }
}

/** The compact JWE's first segment (its protected header, base64url), kept for auditors; readSealedHeader already checked it. */
function protectedHeaderOf(sealed: Uint8Array): string | null {
  const end = sealed.subarray(0, 8192).indexOf(0x2e);
  return end > 0 ? new TextDecoder().decode(sealed.subarray(0, end)) : null;
}
