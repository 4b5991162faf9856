/**
 * The re-scoring job: decrypt the stored bundle, re-score it, route it, and record the decision
 * (with the document number only as a peppered hash) in one transaction. Idempotent: a retried
 * job for a decided session changes nothing.
 */
import { decodeContainer, risk } from '@ekyc/core';
import type { Logger } from 'pino';
import { openEnvelope, type KeyEncryptionKey } from '../crypto/envelope.ts';
import { hashDocumentNumber, type Pepper } from '../crypto/pepper.ts';
import type { ServerFaceEngine } from '../face/engine.ts';
import { evidenceAad } from '../intake/intake.ts';
import { rescoreBundle } from '../rescore/rescore.ts';
import { assessCaseSignals } from '../review/case-signals.ts';
import type { Screening } from '../screening/types.ts';
import type { SessionStore } from '../storage/session-store.ts';

export interface RescoreDeps {
  store: SessionStore;
  keks: ReadonlyMap<string, KeyEncryptionKey>;
  pepper: Pepper;
  face: ServerFaceEngine | null;
  policy: risk.RiskPolicy;
  logger?: Logger;
  now?: () => Date;
  /** Older peppers still used to find duplicate document numbers across a rotation. */
  previousPeppers?: readonly Pepper[];
  /** Sanctions / PEP screening; without it the sanctions signal stays missing. */
  screening?: Screening | null;
  /** Cosine at or above which two selfies are near-duplicates (default FACE_DUPLICATE_THRESHOLD). */
  faceDuplicateThreshold?: number;
}

export async function runRescoreJob(sessionId: string, deps: RescoreDeps): Promise<'decided' | 'already_decided' | 'no_evidence'> {
  if ((await deps.store.getDecision(sessionId)) !== null) return 'already_decided';
  const session = await deps.store.getSession(sessionId);
  const stored = await deps.store.loadEvidence(sessionId);
  if (session === null || stored === null) return 'no_evidence';
  const started = performance.now();
  const container = await openEnvelope(stored.envelope, deps.keks, evidenceAad(sessionId, stored.idempotencyKey));
  const bundle = decodeContainer(container);
  // Dates (expiry, age) are judged as of when the evidence arrived, so a queued job decides the same.
  const result = await rescoreBundle(bundle, { config: session.config, face: deps.face, policy: deps.policy, referenceDate: stored.receivedAt });
  // Duplicates and screening join the decision; their rows are written before it (idempotent).
  const caseSignals = await assessCaseSignals({
    db: deps.store.db, sessionId, bundle, rescore: result, peppers: [deps.pepper, ...(deps.previousPeppers ?? [])],
    screening: deps.screening ?? null, policy: deps.policy, faceDuplicateThreshold: deps.faceDuplicateThreshold, referenceDate: stored.receivedAt,
  });
  const { decision } = caseSignals;
  const documentHash = result.document.documentNumber === null
    ? null
    : { hash: hashDocumentNumber(result.document.documentNumber, deps.pepper, result.document.issuingState ?? ''), pepperId: deps.pepper.id };
  const decidedAt = deps.now?.() ?? new Date();
  await caseSignals.persist(decidedAt);
  const saved = await deps.store.saveDecision({
    sessionId,
    decidedAt,
    outcome: decision.outcome,
    score: decision.score,
    reasonCodes: decision.reasonCodes,
    record: {
      inputs: { signals: decision.signals, hardRules: decision.hardRules, documentFormat: result.document.format, sdkVersion: bundle.manifest.sdkVersion, models: bundle.manifest.models },
      weights: decision.weights,
      appliedWeights: decision.appliedWeights,
      bands: decision.bands,
      contributions: decision.contributions,
      scoreOutcome: decision.scoreOutcome,
      duplicates: caseSignals.duplicates,
      screening: caseSignals.screening === null ? null : { listId: caseSignals.screening.listId, hit: caseSignals.screening.hit, compared: caseSignals.screening.compared, matches: caseSignals.screening.matches.map((match) => match.entryId) },
      timingsMs: { ...result.timings, total: performance.now() - started },
    },
  }, documentHash);
  deps.logger?.info({ sessionId, outcome: decision.outcome, score: decision.score, ms: Math.round(performance.now() - started) }, 'session decided');
  return saved ? 'decided' : 'already_decided';
}
