/**
 * The reviewer's decision: the one place it is written. In one transaction: the caller's live
 * claim is locked (none: `review_claim_required`), the case must still be queued, the decision is
 * inserted beside the automatic one (never over it; the audit entry is written by the table's
 * trigger in this same transaction), the claim is dropped, and the integrator's webhook event is
 * written to the outbox. Everything commits together or not at all.
 */
import { EkycError } from '@ekyc/core';
import type { Database } from '../db/driver.ts';
import type { Outcome } from '../storage/types.ts';
import { enqueueDecisionEvent } from '../webhooks/outbox.ts';
import type { ReviewerDecision } from './effective.ts';
import { REVIEW_QUEUES } from './queue.ts';

export const MAX_NOTE_LENGTH = 2000;

export interface ReviewerDecisionInput {
  sessionId: string;
  operatorId: string;
  outcome: 'approve' | 'reject';
  note: string;
  now: Date;
}

export async function recordReviewerDecision(db: Database, input: ReviewerDecisionInput): Promise<ReviewerDecision> {
  const note = input.note.trim();
  if (note.length === 0 || note.length > MAX_NOTE_LENGTH) throw new EkycError('invalid_argument', `A review note is 1 to ${MAX_NOTE_LENGTH} characters.`);
  if (input.outcome !== 'approve' && input.outcome !== 'reject') throw new EkycError('invalid_argument', 'A reviewer decides approve or reject.');
  return db.transaction(async (tx) => {
    const claim = await tx.query('SELECT 1 FROM verifier_review_claims WHERE session_id = $1 AND operator_id = $2 AND expires_at > $3 FOR UPDATE', [input.sessionId, input.operatorId, input.now]);
    if (claim.rows.length === 0) throw new EkycError('review_claim_required', 'Claim the case before deciding it (or the claim expired).');
    const automatic = await tx.query<{ outcome: Outcome; integrator_reference: string | null; score: number; reason_codes: string[] }>(
      `SELECT d.outcome, d.score, d.reason_codes, s.integrator_reference FROM verifier_decisions d JOIN verifier_sessions s ON s.id = d.session_id WHERE d.session_id = $1`,
      [input.sessionId],
    );
    const row = automatic.rows[0];
    if (row === undefined || !(Object.values(REVIEW_QUEUES) as Outcome[]).includes(row.outcome)) throw new EkycError('review_not_queued', 'This case is in no review queue.');
    const inserted = await tx.query(
      `INSERT INTO verifier_reviewer_decisions (session_id, operator_id, decided_at, outcome, note, automatic_outcome)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (session_id) DO NOTHING`,
      [input.sessionId, input.operatorId, input.now, input.outcome, note, row.outcome],
    );
    if (inserted.rowCount !== 1) throw new EkycError('review_not_queued', 'This case was already decided by a reviewer.', { details: { reviewed: true } });
    await tx.query('DELETE FROM verifier_review_claims WHERE session_id = $1', [input.sessionId]);
    await enqueueDecisionEvent(tx, {
      sessionId: input.sessionId, outcome: input.outcome, decidedBy: 'reviewer', decidedAt: input.now,
      integratorReference: row.integrator_reference, score: Number(row.score), reasonCodes: row.reason_codes,
    });
    return { sessionId: input.sessionId, operatorId: input.operatorId, decidedAt: input.now, outcome: input.outcome, note, automaticOutcome: row.outcome };
  });
}
