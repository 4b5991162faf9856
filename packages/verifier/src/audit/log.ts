/**
 * The append-only audit log (verifier_audit_log, migration 002): every decision (written by
 * triggers on verifier_decisions and verifier_reviewer_decisions, in the deciding transaction) and
 * every operator access. Each entry stores the previous entry's hash and its own SHA-256 over
 * that and its canonical text, computed by the database function that appends it, so the chain
 * is the same whichever process writes. UPDATE, DELETE and TRUNCATE are refused by a trigger;
 * a retention purge is the one deliberate exception (purgeAuditLogBefore) and is itself logged.
 * Entries carry ids, outcomes and codes only: no names, notes or document data.
 */
import type { Database, SqlClient } from '../db/driver.ts';

export type AuditActorKind = 'system' | 'operator' | 'integrator';

export type AuditAction =
  | 'decision.automatic' | 'decision.reviewed'
  | 'queue.listed' | 'case.claimed' | 'case.released' | 'case.viewed'
  | 'bundle.accessed' | 'audit.read' | 'audit.verified' | 'audit.purged'
  | 'access.denied' | 'operator.added' | 'operator.disabled';

export type AuditDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface AuditEntryInput {
  actorKind: AuditActorKind;
  actorId: string | null;
  action: AuditAction;
  sessionId: string | null;
  details: AuditDetails;
  at: Date;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Appends with the caller's client: inside a transaction, the entry commits or rolls back with it. */
export async function appendAudit(client: SqlClient, entry: AuditEntryInput): Promise<number> {
  const result = await client.query<{ seq: string | number }>(
    'SELECT verifier_audit_append($1, $2, $3, $4, $5::jsonb, $6) AS seq',
    [entry.actorKind, entry.actorId, entry.action, entry.sessionId, JSON.stringify(entry.details), entry.at],
  );
  return Number(result.rows[0]!.seq);
}

interface AuditRow {
  seq: string | number;
  at: Date | string;
  actor_kind: AuditActorKind;
  actor_id: string | null;
  action: AuditAction;
  session_id: string | null;
  details: AuditDetails;
  prev_hash: string;
  hash: string;
}

const fromRow = (row: AuditRow): AuditEntry => ({
  seq: Number(row.seq), at: row.at instanceof Date ? row.at : new Date(row.at), actorKind: row.actor_kind, actorId: row.actor_id,
  action: row.action, sessionId: row.session_id, details: row.details, prevHash: row.prev_hash, hash: row.hash,
});

/** Entries in order, after `afterSeq` (keyset paging), optionally for one session. */
export async function readAuditLog(db: SqlClient, options: { afterSeq?: number; limit?: number; sessionId?: string } = {}): Promise<AuditEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const result = options.sessionId === undefined
    ? await db.query<AuditRow>('SELECT * FROM verifier_audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [options.afterSeq ?? 0, limit])
    : await db.query<AuditRow>('SELECT * FROM verifier_audit_log WHERE seq > $1 AND session_id = $3 ORDER BY seq LIMIT $2', [options.afterSeq ?? 0, limit, options.sessionId]);
  return result.rows.map(fromRow);
}

export interface ChainReport {
  entries: number;
  valid: boolean;
  /** The first entry whose hash, link or sequence is wrong; null when the chain holds. */
  firstBadSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
}

/**
 * Recomputes every entry's hash in the database (the same function that appended it) and checks
 * each link and that `seq` has no gaps, in batches of 1000. The first entry links to the genesis
 * hash, or (after a retention purge) to the last purged hash recorded by an `audit.purged` entry.
 */
export async function verifyAuditChain(db: SqlClient): Promise<ChainReport> {
  const purges = await db.query<{ last_removed_hash: string }>(`SELECT details->>'lastRemovedHash' AS last_removed_hash FROM verifier_audit_log WHERE action = 'audit.purged'`);
  const allowedStarts = new Set([GENESIS_HASH, ...purges.rows.map((row) => row.last_removed_hash)]);
  let previous: { seq: number; hash: string } | null = null;
  let entries = 0;
  for (;;) {
    const after: number = previous === null ? 0 : (previous as { seq: number }).seq;
    const batch: { rows: { seq: string | number; prev_hash: string; hash: string; recomputed: string }[] } = await db.query<{ seq: string | number; prev_hash: string; hash: string; recomputed: string }>(
      `SELECT seq, prev_hash, hash, verifier_audit_hash(prev_hash, seq, at, actor_kind, actor_id, action, session_id, details) AS recomputed
       FROM verifier_audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000`, [after],
    );
    for (const row of batch.rows) {
      const seq: number = Number(row.seq);
      const linked = previous === null ? allowedStarts.has(row.prev_hash) : row.prev_hash === previous.hash && seq === previous.seq + 1;
      if (!linked || row.recomputed !== row.hash) return { entries, valid: false, firstBadSeq: seq, lastSeq: previous?.seq ?? null, lastHash: previous?.hash ?? null };
      previous = { seq, hash: row.hash };
      entries += 1;
    }
    if (batch.rows.length < 1000) return { entries, valid: true, firstBadSeq: null, lastSeq: previous?.seq ?? null, lastHash: previous?.hash ?? null };
  }
}

/**
 * Retention: removes entries older than `cutoff` (a prefix of the chain) in one transaction that
 * sets `ekyc.audit_purge` for itself only, and appends an `audit.purged` entry naming the last
 * removed seq and hash, so the remaining chain still verifies. Returns how many were removed.
 */
export async function purgeAuditLogBefore(db: Database, cutoff: Date, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const last = await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM verifier_audit_log WHERE at < $1 ORDER BY seq DESC LIMIT 1', [cutoff]);
    const row = last.rows[0];
    if (row === undefined) return 0;
    // Appended first, so the log is never empty and `seq` keeps counting after the purge.
    await appendAudit(tx, { actorKind: 'system', actorId: null, action: 'audit.purged', sessionId: null, details: { removedThroughSeq: Number(row.seq), lastRemovedHash: row.hash, cutoff: cutoff.toISOString() }, at: now });
    await tx.query(`SELECT set_config('ekyc.audit_purge', 'on', true)`);
    const removed = await tx.query('DELETE FROM verifier_audit_log WHERE seq <= $1', [row.seq]);
    await tx.query(`SELECT set_config('ekyc.audit_purge', 'off', true)`);
    return removed.rowCount;
  });
}
