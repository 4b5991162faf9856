/**
 * One retention pass (docs/verifier-retention.md): purges what expired under the policy as of
 * `now`, in batches, each batch one transaction with its sessions locked (FOR UPDATE SKIP LOCKED:
 * two passes at once never purge the same session twice, nor wait on each other).
 *
 * Order inside a pass: evidence, fields, decision records, audit log. A session whose automatic
 * decision sent it to a reviewer who has not decided yet is held (its evidence and fields stay
 * for the review) until the decision record itself expires.
 *
 * Tables of other features (review, screening, duplicates: migration 002) are covered when they
 * exist; each is looked up once per pass.
 */
import type { Database, SqlClient } from '../db/driver.ts';
import type { RetentionPolicy } from './policy.ts';

export interface RetentionPass {
  evidence: number;
  fields: number;
  decision: number;
  audit: number;
  uploads: number;
  lockouts: number;
  /** Sessions past their evidence or fields retention kept because their review is still open. */
  heldForReview: number;
}

export interface RetentionOptions {
  batch?: number;
  /** Removes audit entries older than the cutoff, keeping the chain verifiable (audit/log.ts purgeAuditLogBefore). */
  purgeAudit?: (db: Database, cutoff: Date, now: Date) => Promise<number>;
}

async function existingTables(db: SqlClient, names: readonly string[]): Promise<Set<string>> {
  const result = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`, [names],
  );
  return new Set(result.rows.map((row) => row.name));
}

const OPTIONAL_TABLES = ['verifier_reviewer_decisions', 'verifier_face_embeddings', 'verifier_screening_matches', 'verifier_audit_log'] as const;

const before = (now: Date, seconds: number): Date => new Date(now.getTime() - seconds * 1000);

export async function runRetentionPass(db: Database, policy: RetentionPolicy, now: Date, options: RetentionOptions = {}): Promise<RetentionPass> {
  const batch = options.batch ?? 200;
  const tables = await existingTables(db, OPTIONAL_TABLES);
  const reviewed = tables.has('verifier_reviewer_decisions');
  // The retention clock: the last decision (the reviewer's supersedes), else the session's creation.
  const anchor = reviewed ? 'coalesce(greatest(d.decided_at, r.decided_at), s.created_at)' : 'coalesce(d.decided_at, s.created_at)';
  const joins = `LEFT JOIN verifier_decisions d ON d.session_id = s.id${reviewed ? ' LEFT JOIN verifier_reviewer_decisions r ON r.session_id = s.id' : ''}`;
  const openReview = `coalesce(d.outcome IN ('review', 'escalate')${reviewed ? ' AND r.session_id IS NULL' : ''}, false)`;
  const pass: RetentionPass = { evidence: 0, fields: 0, decision: 0, audit: 0, uploads: 0, lockouts: 0, heldForReview: 0 };

  /** Runs `purge` over batches of due sessions until a batch comes back short. */
  const inBatches = async (where: string, cutoff: Date, purge: (tx: SqlClient, ids: string[]) => Promise<void>): Promise<number> => {
    let total = 0;
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const due = await tx.query<{ id: string }>(
          `SELECT s.id FROM verifier_sessions s ${joins} WHERE ${where} AND ${anchor} <= $1 ORDER BY s.id LIMIT $2 FOR UPDATE OF s SKIP LOCKED`, [cutoff, batch],
        );
        const ids = due.rows.map((row) => row.id);
        if (ids.length > 0) await purge(tx, ids);
        return ids.length;
      });
      total += done;
      if (done < batch) return total;
    }
  };

  const evidenceCutoff = before(now, policy.evidence);
  pass.evidence = await inBatches(`s.evidence_purged_at IS NULL AND NOT ${openReview}`, evidenceCutoff, async (tx, ids) => {
    // What the record keeps of the bundle: its SHA-256 (the upload's idempotency key) and size.
    await tx.query(
      `INSERT INTO verifier_retention_log (session_id, data_class, purged_at, detail)
       SELECT s.id, 'evidence', $2, coalesce(jsonb_build_object('evidenceSha256', e.idempotency_key, 'sealedBytes', e.sealed_bytes, 'receivedAt', e.received_at), '{}'::jsonb)
       FROM verifier_sessions s LEFT JOIN verifier_evidence e ON e.session_id = s.id WHERE s.id = ANY($1)
       ON CONFLICT DO NOTHING`, [ids, now],
    );
    await tx.query('DELETE FROM verifier_evidence WHERE session_id = ANY($1)', [ids]);
    if (tables.has('verifier_face_embeddings')) await tx.query('DELETE FROM verifier_face_embeddings WHERE session_id = ANY($1)', [ids]);
    await tx.query('UPDATE verifier_sessions SET evidence_purged_at = $2 WHERE id = ANY($1)', [ids, now]);
  });
  // Uploads never completed hold JWE ciphertext of evidence: same clock as the evidence, by last touch.
  pass.uploads = (await db.query('DELETE FROM verifier_uploads WHERE touched_at <= $1', [evidenceCutoff.getTime()])).rowCount;

  pass.fields = await inBatches(`s.fields_purged_at IS NULL AND NOT ${openReview}`, before(now, policy.fields), async (tx, ids) => {
    if (tables.has('verifier_screening_matches')) await tx.query('DELETE FROM verifier_screening_matches WHERE session_id = ANY($1)', [ids]);
    if (reviewed) {
      // A reviewer's note is free text: it keeps only its hash (the trigger allows this rewrite alone).
      await tx.query(`SELECT set_config('ekyc.retention_purge', 'on', true)`);
      await tx.query(
        `UPDATE verifier_reviewer_decisions SET note = 'sha256:' || encode(sha256(convert_to(note, 'UTF8')), 'hex')
         WHERE session_id = ANY($1) AND note NOT LIKE 'sha256:%'`, [ids],
      );
      await tx.query(`SELECT set_config('ekyc.retention_purge', 'off', true)`);
    }
    await tx.query('DELETE FROM verifier_liveness_attempts WHERE session_id = ANY($1)', [ids]);
    await tx.query('UPDATE verifier_sessions SET signing_key = NULL, fields_purged_at = $2 WHERE id = ANY($1)', [ids, now]);
    await tx.query(
      `INSERT INTO verifier_retention_log (session_id, data_class, purged_at, detail) SELECT id, 'fields', $2, '{}'::jsonb FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`, [ids, now],
    );
  });

  pass.heldForReview = Number((await db.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM verifier_sessions s ${joins} WHERE ${openReview} AND (s.evidence_purged_at IS NULL OR s.fields_purged_at IS NULL) AND ${anchor} <= $1`,
    [evidenceCutoff],
  )).rows[0]?.n ?? 0);

  // The whole record goes: the session row cascades to every table keyed by it.
  pass.decision = await inBatches('true', before(now, policy.decision), async (tx, ids) => {
    await tx.query('DELETE FROM verifier_webhook_outbox WHERE session_id = ANY($1)', [ids]);
    await tx.query('DELETE FROM verifier_retention_log WHERE session_id = ANY($1)', [ids]);
    await tx.query('DELETE FROM verifier_sessions WHERE id = ANY($1)', [ids]);
  });

  // purgeAuditLogBefore removes entries strictly before its cutoff; +1 ms makes an entry exactly at
  // the boundary expire with it, as every other class does.
  if (tables.has('verifier_audit_log') && options.purgeAudit !== undefined) pass.audit = await options.purgeAudit(db, new Date(before(now, policy.audit).getTime() + 1), now);
  // Lockouts that ended carry nothing more to enforce.
  pass.lockouts = (await db.query('DELETE FROM verifier_lockouts WHERE locked_until <= $1', [now])).rowCount;
  return pass;
}
