import type { EvidencePublicKeyJwk } from '@ekyc/core';
import type { Envelope } from '../crypto/envelope.ts';
import type { SessionConfig } from '../session-config.ts';

export type SessionStatus = 'created' | 'key_bound' | 'received' | 'decided';

export interface SessionRecord {
  id: string;
  nonce: string;
  createdAt: Date;
  expiresAt: Date;
  nonceConsumedAt: Date | null;
  config: SessionConfig;
  integratorReference: string | null;
  signingKey: EvidencePublicKeyJwk | null;
  status: SessionStatus;
  updatedAt: Date;
}

export interface StoredEvidence {
  idempotencyKey: string;
  sessionId: string;
  receivedAt: Date;
  sealedBytes: number;
  /** The JWE protected header as received (its first compact segment, base64url); null when not kept. */
  sealedHeader?: string | null;
  envelope: Envelope;
}

/** `escalate`: routed to the escalation queue by a hard rule (e.g. a screening hit). */
export type Outcome = 'approve' | 'review' | 'reject' | 'escalate';

export interface DecisionRecord {
  sessionId: string;
  decidedAt: Date;
  outcome: Outcome;
  score: number;
  reasonCodes: string[];
  /** Inputs, weights, signals and hard rules: everything the decision was derived from. */
  record: Record<string, unknown>;
}

export interface DocumentHash {
  hash: string;
  pepperId: string;
}

export type BindKeyResult = 'bound' | 'already_bound' | 'conflict' | 'not_found' | 'closed';

/** Why an atomic nonce consume did not happen. */
export type ConsumeRefusal = 'unknown' | 'session_mismatch' | 'replayed' | 'expired';
