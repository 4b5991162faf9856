import type { EvidenceAck } from '@ekyc/core';

/** Sealed evidence as it waits for delivery: opaque encrypted bytes plus bookkeeping. */
export interface SealedEvidence {
  /** SHA-256 hex of `bytes`; also the idempotency key (see `sealedEvidenceId` in @ekyc/core). */
  id: string;
  bytes: Uint8Array;
  createdAt: string;
}

export interface SinkReceipt {
  id: string;
  /** Transport-specific status, e.g. the HTTP status code. */
  status: number;
  /** Parsed JSON response body when the endpoint sent one. */
  body: unknown;
  /** The verifier's acknowledgement (HttpSink always has one; other sinks may not). */
  ack?: EvidenceAck;
  attempts: number;
}

/**
 * Where sealed evidence goes. Implementations must be idempotent per `evidence.id`, resolve only
 * once the destination durably holds the bytes, and otherwise throw EkycError:
 * `transport_failed` / `transport_not_acknowledged` (recoverable: the outbox keeps the bundle and tries later),
 * `transport_rejected` or `evidence_too_large` (final: retrying cannot help).
 * Integrators plug in their own sink (S3 presigned URL, message queue, ...) by implementing it.
 */
export interface EvidenceSink {
  send(evidence: SealedEvidence, options?: { signal?: AbortSignal }): Promise<SinkReceipt>;
}
