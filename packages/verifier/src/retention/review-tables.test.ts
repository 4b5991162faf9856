/**
 * Retention over the review feature's tables (migration 002), PGlite and PostgreSQL, clock in the
 * test's hands: the retention clock of a reviewed case is the reviewer's decision; an open review
 * is held; selfie embeddings go with the evidence, screening matches with the fields, the
 * reviewer's note keeps only its hash, and everything goes with the decision record.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNonce } from '@ekyc/core';
import { purgeAuditLogBefore, verifyAuditChain } from '../audit/log.ts';
import { openDatabase, type Database } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import { saveDuplicateSignals, saveFaceEmbedding } from '../duplicates/store.ts';
import { recordReviewerDecision } from '../review/decide.ts';
import { claimCase } from '../review/queue.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { SessionStore } from '../storage/session-store.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { runRetentionPass } from './purge.ts';
import type { RetentionPolicy } from './policy.ts';

const DAY = 86_400;
const POLICY: RetentionPolicy = { evidence: 10 * DAY, fields: 20 * DAY, decision: 40 * DAY, audit: 40 * DAY };
const NOTE = 'Portrait matches; holder ERIKSSON ANNA MARIA born 1974-08-12 confirmed by phone';

describe.each(['pglite', 'postgres'] as const)('retention over review tables on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let db: Database;
  let store: SessionStore;
  const t0 = new Date('2026-05-01T00:00:00.000Z');
  const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

  beforeAll(async () => {
    if (skip) return;
    if (kind === 'postgres') pgServer = await startTestPostgres();
    db = await openDatabase(pgServer?.url ?? 'memory:');
    await migrate(db);
    store = new SessionStore(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await pgServer?.stop();
  });

  const decided = async (outcome: 'review' | 'escalate' | 'approve', decidedAt: Date): Promise<string> => {
    const id = `ses_rt_${Math.random().toString(36).slice(2, 12)}`;
    await store.createSession({ id, nonce: generateNonce(), createdAt: decidedAt, expiresAt: at(3600), config: DEFAULT_SESSION_CONFIG, integratorReference: null });
    await db.query(
      `INSERT INTO verifier_evidence (idempotency_key, session_id, received_at, sealed_bytes, kek_id, wrapped_key, iv, ciphertext) VALUES ($1, $2, $3, 3, 'kek-1', '\\x01', '\\x02', '\\x030405')`,
      [createHash('sha256').update(id).digest('hex'), id, decidedAt],
    );
    await store.saveDecision({ sessionId: id, decidedAt, outcome, score: 60, reasonCodes: outcome === 'escalate' ? ['screening_hit'] : [], record: {} }, { hash: 'f'.repeat(64), pepperId: 'p1' });
    await saveFaceEmbedding(db, { sessionId: id, modelId: 'fr-feature', embedding: new Float32Array(512).fill(0.04), at: decidedAt });
    await db.query(
      `INSERT INTO verifier_screening_matches (session_id, list_id, entry_id, score, details, screened_at) VALUES ($1, 'list-1', 'entry-7', 0.97, $2, $3)`,
      [id, JSON.stringify({ category: 'pep', birthDate: '1974-08-12', nationality: 'UTO' }), decidedAt],
    );
    return id;
  };
  const rows = async (table: string, id: string): Promise<number> => Number((await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table} WHERE session_id = $1`, [id])).rows[0]!.n);

  it.skipIf(skip)('counts from the reviewer decision, holds open reviews, hashes the note, and removes everything with the record', async () => {
    await db.query(`INSERT INTO verifier_operators (id, name, role, token_hash, created_at) VALUES ('op1', 'Reviewer One', 'reviewer', 'scrypt$x', $1)`, [t0]);
    const reviewed = await decided('review', t0);
    const open = await decided('escalate', t0);
    await saveDuplicateSignals(db, reviewed, [{ kind: 'document_number', otherSessionId: open, similarity: null }], t0);
    // The reviewer decides 5 days later: that is the retention clock of this case.
    await claimCase(db, { sessionId: reviewed, operatorId: 'op1', now: at(5 * DAY), ttlSeconds: 900 });
    await recordReviewerDecision(db, { sessionId: reviewed, operatorId: 'op1', outcome: 'approve', note: NOTE, now: at(5 * DAY) });
    const reviewerAt = 5 * DAY;

    // Evidence: one second before 10 days after the review, kept; at it, the blob and the embedding go.
    expect(await runRetentionPass(db, POLICY, at(reviewerAt + 10 * DAY - 1))).toMatchObject({ evidence: 0, heldForReview: 1 });
    expect(await rows('verifier_evidence', reviewed)).toBe(1);
    expect(await runRetentionPass(db, POLICY, at(reviewerAt + 10 * DAY))).toMatchObject({ evidence: 1, fields: 0, heldForReview: 1 });
    expect([await rows('verifier_evidence', reviewed), await rows('verifier_face_embeddings', reviewed), await rows('verifier_screening_matches', reviewed)]).toEqual([0, 0, 1]);
    // The open escalation keeps its evidence, embedding and matches for the reviewer.
    expect([await rows('verifier_evidence', open), await rows('verifier_face_embeddings', open), await rows('verifier_screening_matches', open)]).toEqual([1, 1, 1]);

    // Fields: screening matches go, the note keeps only its hash; the decisions themselves stay.
    expect(await runRetentionPass(db, POLICY, at(reviewerAt + 20 * DAY - 1))).toMatchObject({ fields: 0 });
    expect(await runRetentionPass(db, POLICY, at(reviewerAt + 20 * DAY))).toMatchObject({ fields: 1 });
    expect(await rows('verifier_screening_matches', reviewed)).toBe(0);
    const decision = (await db.query<{ note: string; outcome: string; automatic_outcome: string }>('SELECT note, outcome, automatic_outcome FROM verifier_reviewer_decisions WHERE session_id = $1', [reviewed])).rows[0]!;
    expect(decision).toEqual({ note: `sha256:${createHash('sha256').update(NOTE).digest('hex')}`, outcome: 'approve', automatic_outcome: 'review' });
    const everything = JSON.stringify((await db.query(`SELECT d.*, s.*, r.note FROM verifier_decisions d JOIN verifier_sessions s ON s.id = d.session_id LEFT JOIN verifier_reviewer_decisions r ON r.session_id = s.id WHERE s.id = $1`, [reviewed])).rows);
    for (const needle of ['ERIKSSON', 'ANNA MARIA', '1974-08-12']) expect(everything).not.toContain(needle);
    expect((await store.getDecision(reviewed))?.outcome).toBe('review');
    await expect(db.query(`UPDATE verifier_reviewer_decisions SET note = 'rewritten' WHERE session_id = $1`, [reviewed])).rejects.toThrow(/never rewritten/);

    // Decision record: both sessions go at 40 days (the open one from its automatic decision).
    expect(await runRetentionPass(db, POLICY, at(40 * DAY))).toMatchObject({ decision: 1 });
    expect(await rows('verifier_evidence', open)).toBe(0);
    expect(await runRetentionPass(db, POLICY, at(reviewerAt + 40 * DAY - 1))).toMatchObject({ decision: 0 });
    const last = await runRetentionPass(db, POLICY, at(reviewerAt + 40 * DAY), { purgeAudit: purgeAuditLogBefore });
    expect(last.decision).toBe(1);
    expect(last.audit).toBeGreaterThan(0);
    for (const table of ['verifier_sessions', 'verifier_decisions', 'verifier_reviewer_decisions', 'verifier_document_hashes', 'verifier_duplicate_signals', 'verifier_screening_matches', 'verifier_face_embeddings']) {
      expect([table, Number((await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)]).toEqual([table, 0]);
    }
    expect(Number((await db.query<{ n: string | number }>('SELECT count(*) AS n FROM verifier_webhook_outbox')).rows[0]!.n)).toBe(0);
    expect((await verifyAuditChain(db)).valid).toBe(true);
  });
});
