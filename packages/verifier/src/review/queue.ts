/**
 * The review queues and claims. Queue `review` holds sessions the automatic decision routed to
 * review, queue `escalation` those routed to escalate; a case leaves its queue when a reviewer
 * decides it. A claim is one row per case: claiming is a single INSERT ... ON CONFLICT DO UPDATE
 * whose WHERE lets it through only when the existing claim expired or is the caller's own, so of
 * two reviewers claiming at once exactly one gets the row and the other a `review_claim_conflict`.
 */
import { EkycError } from '@ekyc/core';
import type { Database, SqlClient } from '../db/driver.ts';
import type { Outcome } from '../storage/types.ts';

export const REVIEW_QUEUES = { review: 'review', escalation: 'escalate' } as const satisfies Record<string, Outcome>;
export type ReviewQueue = keyof typeof REVIEW_QUEUES;

export interface Claim {
  sessionId: string;
  operatorId: string;
  claimedAt: Date;
  expiresAt: Date;
}

export interface QueueItem {
  sessionId: string;
  outcome: Outcome;
  score: number;
  decidedAt: Date;
  reasonCodes: string[];
  /** The live claim on the case, if any (expired claims are shown as null). */
  claim: Claim | null;
}

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

interface ClaimRow { session_id: string; operator_id: string; claimed_at: Date | string; expires_at: Date | string }
const claimFromRow = (row: ClaimRow): Claim => ({ sessionId: row.session_id, operatorId: row.operator_id, claimedAt: asDate(row.claimed_at), expiresAt: asDate(row.expires_at) });

/** Oldest first; `limit` bounded to 1..200. */
/** Paging: `after` = the last item's decidedAt and `afterSessionId` its session id (ties on the time are ordered by id). */
export async function listQueue(db: SqlClient, queue: ReviewQueue, now: Date, options: { limit?: number; after?: Date; afterSessionId?: string } = {}): Promise<QueueItem[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const result = await db.query<{
    session_id: string; outcome: Outcome; score: number; decided_at: Date | string; reason_codes: string[];
    operator_id: string | null; claimed_at: Date | string | null; expires_at: Date | string | null;
  }>(
    `SELECT d.session_id, d.outcome, d.score, d.decided_at, d.reason_codes, c.operator_id, c.claimed_at, c.expires_at
     FROM verifier_decisions d
     LEFT JOIN verifier_reviewer_decisions r ON r.session_id = d.session_id
     LEFT JOIN verifier_review_claims c ON c.session_id = d.session_id AND c.expires_at > $2
     WHERE d.outcome = $1 AND r.session_id IS NULL AND (d.decided_at, d.session_id) > ($4::timestamptz, $5::text)
     ORDER BY d.decided_at, d.session_id LIMIT $3`,
    [REVIEW_QUEUES[queue], now, limit, options.after ?? new Date(0), options.afterSessionId ?? ''],
  );
  return result.rows.map((row) => ({
    sessionId: row.session_id, outcome: row.outcome, score: Number(row.score), decidedAt: asDate(row.decided_at), reasonCodes: row.reason_codes,
    claim: row.operator_id === null ? null : claimFromRow({ session_id: row.session_id, operator_id: row.operator_id, claimed_at: row.claimed_at!, expires_at: row.expires_at! }),
  }));
}

/** Throws `session_not_found`, or `review_not_queued` when the case is in no queue (not decided, approved/rejected automatically, or already reviewed). */
export async function assertQueued(db: SqlClient, sessionId: string): Promise<Outcome> {
  const result = await db.query<{ exists: boolean; outcome: Outcome | null; reviewed: boolean }>(
    `SELECT s.id IS NOT NULL AS exists, d.outcome, r.session_id IS NOT NULL AS reviewed
     FROM (SELECT $1::text AS id) q
     LEFT JOIN verifier_sessions s ON s.id = q.id
     LEFT JOIN verifier_decisions d ON d.session_id = q.id
     LEFT JOIN verifier_reviewer_decisions r ON r.session_id = q.id`,
    [sessionId],
  );
  const row = result.rows[0]!;
  if (!row.exists) throw new EkycError('session_not_found', 'No session has this id.');
  if (row.outcome === null || row.reviewed || !(Object.values(REVIEW_QUEUES) as Outcome[]).includes(row.outcome)) {
    throw new EkycError('review_not_queued', 'This case is in no review queue.', { details: { reviewed: row.reviewed } });
  }
  return row.outcome;
}

/**
 * Claims a queued case for `ttlSeconds`. Claiming a case one already holds renews the claim;
 * a live claim of another reviewer refuses with `review_claim_conflict` (details: its expiry).
 */
export async function claimCase(db: Database, input: { sessionId: string; operatorId: string; now: Date; ttlSeconds: number }): Promise<Claim> {
  await assertQueued(db, input.sessionId);
  const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
  const claimed = await db.query<ClaimRow>(
    `INSERT INTO verifier_review_claims (session_id, operator_id, claimed_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (session_id) DO UPDATE SET operator_id = EXCLUDED.operator_id, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
     WHERE verifier_review_claims.expires_at <= EXCLUDED.claimed_at OR verifier_review_claims.operator_id = EXCLUDED.operator_id
     RETURNING *`,
    [input.sessionId, input.operatorId, input.now, expiresAt],
  );
  const row = claimed.rows[0];
  if (row !== undefined) return claimFromRow(row);
  const holder = await db.query<ClaimRow>('SELECT * FROM verifier_review_claims WHERE session_id = $1', [input.sessionId]);
  throw new EkycError('review_claim_conflict', 'Another reviewer holds this case.', { details: { expiresAt: holder.rows[0] === undefined ? null : asDate(holder.rows[0].expires_at).toISOString() } });
}

/** Gives a held claim back before it expires; false when the caller held none. */
export async function releaseClaim(db: SqlClient, sessionId: string, operatorId: string): Promise<boolean> {
  const deleted = await db.query('DELETE FROM verifier_review_claims WHERE session_id = $1 AND operator_id = $2', [sessionId, operatorId]);
  return deleted.rowCount === 1;
}

export async function currentClaim(db: SqlClient, sessionId: string, now: Date): Promise<Claim | null> {
  const result = await db.query<ClaimRow>('SELECT * FROM verifier_review_claims WHERE session_id = $1 AND expires_at > $2', [sessionId, now]);
  return result.rows[0] === undefined ? null : claimFromRow(result.rows[0]);
}
