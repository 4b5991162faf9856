/**
 * What a reviewer sees of a case: the automatic decision with its signals and hard rules (ids,
 * scores and codes; no images or personal data), the reviewer's decision if any, the decision in
 * force, the live claim, duplicate signals in both directions (this session found an earlier one,
 * or a later session found this one) and screening matches (list entry ids and scores).
 */
import { EkycError } from '@ekyc/core';
import type { SqlClient } from '../db/driver.ts';
import { listDuplicateSignals, type DuplicateLink } from '../duplicates/store.ts';
import { listScreeningMatches, type StoredScreeningMatch } from '../screening/store.ts';
import type { SessionStore } from '../storage/session-store.ts';
import type { SessionStatus } from '../storage/types.ts';
import { effectiveDecision, type AutomaticDecisionView, type EffectiveDecision, type ReviewerDecision } from './effective.ts';
import { currentClaim, type Claim } from './queue.ts';

export interface CaseView {
  sessionId: string;
  status: SessionStatus;
  createdAt: Date;
  automaticDecision: (AutomaticDecisionView & { signals: unknown[]; hardRules: unknown[] }) | null;
  reviewerDecision: ReviewerDecision | null;
  effectiveDecision: EffectiveDecision | null;
  claim: Claim | null;
  duplicates: DuplicateLink[];
  screening: StoredScreeningMatch[];
}

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

export async function getReviewerDecision(db: SqlClient, sessionId: string): Promise<ReviewerDecision | null> {
  const result = await db.query<{ session_id: string; operator_id: string; decided_at: Date | string; outcome: 'approve' | 'reject'; note: string; automatic_outcome: ReviewerDecision['automaticOutcome'] }>(
    'SELECT * FROM verifier_reviewer_decisions WHERE session_id = $1', [sessionId],
  );
  const row = result.rows[0];
  return row === undefined ? null : {
    sessionId: row.session_id, operatorId: row.operator_id, decidedAt: asDate(row.decided_at), outcome: row.outcome, note: row.note, automaticOutcome: row.automatic_outcome,
  };
}

export async function loadCase(store: SessionStore, sessionId: string, now: Date): Promise<CaseView> {
  const session = await store.getSession(sessionId);
  if (session === null) throw new EkycError('session_not_found', 'No session has this id.');
  const decision = await store.getDecision(sessionId);
  const reviewer = await getReviewerDecision(store.db, sessionId);
  const inputs = (decision?.record.inputs ?? {}) as { signals?: unknown[]; hardRules?: unknown[] };
  const automatic = decision === null ? null : {
    outcome: decision.outcome, score: decision.score, decidedAt: decision.decidedAt, reasonCodes: decision.reasonCodes,
    signals: inputs.signals ?? [], hardRules: inputs.hardRules ?? [],
  };
  return {
    sessionId,
    status: session.status,
    createdAt: session.createdAt,
    automaticDecision: automatic,
    reviewerDecision: reviewer,
    effectiveDecision: automatic === null ? null : effectiveDecision(automatic, reviewer),
    claim: await currentClaim(store.db, sessionId, now),
    duplicates: await listDuplicateSignals(store.db, sessionId),
    screening: await listScreeningMatches(store.db, sessionId),
  };
}
