/**
 * Signals for reviewers computed in the re-scoring job after the bundle is re-scored: duplicates
 * (the same document-number hash or a near-duplicate selfie in another session) and sanctions/PEP
 * screening. They join the decision as hard rules (duplicates -> review, a screening hit ->
 * escalate) and the sanctions signal, and are stored for the case view. `persist` writes the
 * selfie embedding, the duplicate signals and the screening matches; it is idempotent (a retried
 * job writes the same rows) and runs before the decision is saved, so a decided case always has
 * its signals.
 */
import { risk, type EvidenceBundle } from '@ekyc/core';
import { hashDocumentNumber, type Pepper } from '../crypto/pepper.ts';
import type { Database } from '../db/driver.ts';
import { duplicateFindings, findDocumentDuplicates, findFaceDuplicates } from '../duplicates/find.ts';
import { saveDuplicateSignals, saveFaceEmbedding, type DuplicateSignal } from '../duplicates/store.ts';
import type { RescoreResult } from '../rescore/rescore.ts';
import { screeningFindings } from '../screening/signal.ts';
import { saveScreeningMatches } from '../screening/store.ts';
import { screeningSubjectOf } from '../screening/subject.ts';
import type { Screening, ScreeningResult } from '../screening/types.ts';
import { face as coreFace } from '@ekyc/core';

export const FACE_EMBEDDING_MODEL = 'fr-feature';

export interface CaseSignalsInput {
  db: Database;
  sessionId: string;
  bundle: EvidenceBundle;
  rescore: RescoreResult;
  /** The current pepper first, then previous ones still used for lookups. */
  peppers: readonly Pepper[];
  screening: Screening | null;
  policy: risk.RiskPolicy;
  faceDuplicateThreshold?: number;
  /** As for the document checks: when the evidence arrived. */
  referenceDate?: Date;
}

export interface CaseSignals {
  /** The decision with the duplicate and screening findings applied. */
  decision: risk.RiskDecision;
  duplicates: DuplicateSignal[];
  screening: ScreeningResult | null;
  persist(at: Date): Promise<void>;
}

export async function assessCaseSignals(input: CaseSignalsInput): Promise<CaseSignals> {
  const { db, sessionId, rescore } = input;
  const { documentNumber, issuingState } = rescore.document;
  const hashes = documentNumber === null ? [] : input.peppers.map((pepper) => ({ pepperId: pepper.id, hash: hashDocumentNumber(documentNumber, pepper, issuingState ?? '') }));
  const embedding = rescore.selfieEmbedding === null ? null : coreFace.l2Normalize(rescore.selfieEmbedding);
  const duplicates = [
    ...await findDocumentDuplicates(db, sessionId, hashes),
    ...(embedding === null ? [] : await findFaceDuplicates(db, { sessionId, modelId: FACE_EMBEDDING_MODEL, embedding, threshold: input.faceDuplicateThreshold })),
  ];

  let screening: ScreeningResult | null = null;
  let signals = rescore.decision.signals;
  const hardRules = [...rescore.decision.hardRules, ...duplicateFindings(duplicates).hardRules];
  if (input.screening !== null) {
    const subject = screeningSubjectOf(input.bundle, input.referenceDate);
    screening = subject === null ? null : await input.screening.screen(subject);
    const findings = screeningFindings(screening, subject === null ? 'subject_absent' : null);
    signals = signals.map((signal) => (signal.name === 'sanctions' ? findings.signal : signal));
    hardRules.push(...findings.hardRules);
  }

  return {
    decision: risk.decideRisk(signals, hardRules, input.policy),
    duplicates,
    screening,
    async persist(at) {
      await db.transaction(async (tx) => {
        if (embedding !== null) await saveFaceEmbedding(tx, { sessionId, modelId: FACE_EMBEDDING_MODEL, embedding, at });
        await saveDuplicateSignals(tx, sessionId, duplicates, at);
        await saveScreeningMatches(tx, sessionId, screening?.matches ?? [], at);
      });
    },
  };
}
