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
  attempts: number;
}

/**
 * Where sealed evidence goes. Implementations must be idempotent per `evidence.id` and throw
 * EkycError: `transport_failed` (recoverable: the outbox keeps the bundle and tries later),
 * `transport_rejected` or `evidence_too_large` (final: retrying cannot help).
 * Integrators plug in their own sink (S3 presigned URL, message queue, ...) by implementing it.
 */
export interface EvidenceSink {
  send(evidence: SealedEvidence, options?: { signal?: AbortSignal }): Promise<SinkReceipt>;
}
