/**
 * Review storage on both databases: claims under concurrency and expiry, the reviewer decision
 * beside the automatic one (with its outbox row in the same transaction), the queues, and the
 * audit log (every decision by trigger, in order, hash-chained, UPDATE/DELETE/TRUNCATE refused,
 * tampering found by the chain check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkycError, generateNonce } from '@ekyc/core';
import { readAuditLog, verifyAuditChain, purgeAuditLogBefore } from '../audit/log.ts';
import { openDatabase, type Database } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import { OperatorStore } from '../operators/store.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { SessionStore } from '../storage/session-store.ts';
import type { Outcome } from '../storage/types.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { getReviewerDecision } from './case.ts';
import { recordReviewerDecision } from './decide.ts';
import { claimCase, listQueue } from './queue.ts';

const codeOf = (error: unknown): string => (error instanceof EkycError ? error.code : `not an EkycError: ${String(error)}`);

describe.each(['pglite', 'postgres'] as const)('review on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let db: Database;
  let store: SessionStore;
  let operators: OperatorStore;
  let reviewers: string[];
  const t0 = new Date('2026-12-01T10:00:00Z');
  const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

  beforeAll(async () => {
    if (skip) return;
    if (kind === 'postgres') pgServer = await startTestPostgres();
    db = await openDatabase(pgServer?.url ?? 'memory:');
    await migrate(db);
    store = new SessionStore(db);
    operators = new OperatorStore(db, () => t0);
    reviewers = [];
    for (let index = 0; index < 8; index += 1) reviewers.push((await operators.add({ name: `Reviewer ${index}`, role: 'reviewer' })).operator.id);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await pgServer?.stop();
  });

  /** A session decided automatically with `outcome` at t0. */
  async function decidedCase(outcome: Outcome, reasonCodes: string[] = []): Promise<string> {
    const id = `ses_${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url')}`;
    await store.createSession({ id, nonce: generateNonce(), createdAt: t0, expiresAt: at(3600), config: DEFAULT_SESSION_CONFIG, integratorReference: 'ref-1' });
    await store.saveDecision({ sessionId: id, decidedAt: at(1), outcome, score: outcome === 'approve' ? 95 : 70, reasonCodes, record: { inputs: { signals: [], hardRules: [] } } }, null);
    return id;
  }

  it.skipIf(skip)('gives a case to exactly one of 8 reviewers claiming it at once; the others get review_claim_conflict', async () => {
    const sessionId = await decidedCase('review');
    const results = await Promise.all(reviewers.map((operatorId) => claimCase(db, { sessionId, operatorId, now: at(10), ttlSeconds: 300 }).then((claim) => claim.operatorId, codeOf)));
    const winners = results.filter((result) => result.startsWith('op'));
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result === 'review_claim_conflict')).toHaveLength(7);
    // The holder may renew; another reviewer only after the claim expired.
    expect((await claimCase(db, { sessionId, operatorId: winners[0]!, now: at(20), ttlSeconds: 300 })).expiresAt).toEqual(at(320));
    const other = reviewers.find((id) => id !== winners[0])!;
    expect(await claimCase(db, { sessionId, operatorId: other, now: at(319), ttlSeconds: 300 }).then(() => 'claimed', codeOf)).toBe('review_claim_conflict');
    expect((await claimCase(db, { sessionId, operatorId: other, now: at(320), ttlSeconds: 300 })).operatorId).toBe(other);
  });

  it.skipIf(skip)('records a reviewer decision beside the automatic one, only with a live claim, once, with its outbox event', async () => {
    const sessionId = await decidedCase('review', ['face_match_low']);
    const [alice, bob] = reviewers as [string, string];
    const decide = (operatorId: string, now: Date) => recordReviewerDecision(db, { sessionId, operatorId, outcome: 'approve', note: 'Portrait checked by hand.', now });
    expect(await decide(alice, at(20)).then(() => 'decided', codeOf)).toBe('review_claim_required');
    await claimCase(db, { sessionId, operatorId: alice, now: at(20), ttlSeconds: 60 });
    expect(await decide(bob, at(21)).then(() => 'decided', codeOf)).toBe('review_claim_required');
    expect(await decide(alice, at(81)).then(() => 'decided', codeOf)).toBe('review_claim_required'); // expired
    await claimCase(db, { sessionId, operatorId: alice, now: at(90), ttlSeconds: 60 });
    const decision = await decide(alice, at(91));
    expect(decision).toMatchObject({ outcome: 'approve', automaticOutcome: 'review', operatorId: alice });
    // The automatic decision is untouched.
    expect(await store.getDecision(sessionId)).toMatchObject({ outcome: 'review', score: 70, reasonCodes: ['face_match_low'] });
    expect(await getReviewerDecision(db, sessionId)).toMatchObject({ outcome: 'approve', note: 'Portrait checked by hand.' });
    // Decided once: the case left the queue and a second decision is refused.
    await expect(claimCase(db, { sessionId, operatorId: bob, now: at(100), ttlSeconds: 60 })).rejects.toMatchObject({ code: 'review_not_queued' });
    await expect(db.query(`UPDATE verifier_reviewer_decisions SET outcome = 'reject' WHERE session_id = $1`, [sessionId])).rejects.toThrow(/never rewritten/);
    const events = await db.query<{ payload: { data: { outcome: string; decidedBy: string } } }>('SELECT payload FROM verifier_webhook_outbox WHERE session_id = $1 ORDER BY created_at', [sessionId]);
    expect(events.rows.map((row) => [row.payload.data.decidedBy, row.payload.data.outcome])).toEqual([['automatic', 'review'], ['reviewer', 'approve']]);
  });

  it.skipIf(skip)('rolls the whole decision back when a step fails: no reviewer row, no event, claim kept', async () => {
    const sessionId = await decidedCase('escalate', ['screening_hit']);
    const operatorId = reviewers[2]!;
    await claimCase(db, { sessionId, operatorId, now: at(20), ttlSeconds: 600 });
    // A note over the column's reach cannot fail here, so make the outbox insert fail instead.
    await db.query('ALTER TABLE verifier_webhook_outbox ADD CONSTRAINT test_refuse CHECK (event_type <> \'verification.decided\') NOT VALID');
    try {
      await expect(recordReviewerDecision(db, { sessionId, operatorId, outcome: 'reject', note: 'Confirmed list match.', now: at(30) })).rejects.toThrow();
    } finally {
      await db.query('ALTER TABLE verifier_webhook_outbox DROP CONSTRAINT test_refuse');
    }
    expect(await getReviewerDecision(db, sessionId)).toBeNull();
    expect((await db.query('SELECT 1 FROM verifier_review_claims WHERE session_id = $1', [sessionId])).rows).toHaveLength(1);
    expect((await db.query(`SELECT 1 FROM verifier_audit_log WHERE session_id = $1 AND action = 'decision.reviewed'`, [sessionId])).rows).toHaveLength(0);
    expect((await recordReviewerDecision(db, { sessionId, operatorId, outcome: 'reject', note: 'Confirmed list match.', now: at(31) })).outcome).toBe('reject');
  });

  it.skipIf(skip)('lists the review and escalation queues apart, oldest first, without reviewed or automatic approve/reject cases', async () => {
    const review = await decidedCase('review');
    const escalated = await decidedCase('escalate', ['screening_hit']);
    const approved = await decidedCase('approve');
    const reviewQueue = (await listQueue(db, 'review', at(30), { limit: 200 })).map((item) => item.sessionId);
    const escalationQueue = await listQueue(db, 'escalation', at(30), { limit: 200 });
    expect(reviewQueue).toContain(review);
    expect(reviewQueue).not.toContain(escalated);
    expect(reviewQueue).not.toContain(approved);
    expect(escalationQueue.map((item) => item.sessionId)).toContain(escalated);
    expect(escalationQueue.every((item) => item.outcome === 'escalate')).toBe(true);
    // Paging by (decidedAt, sessionId) walks every queued case once, even when they share a time.
    const paged: string[] = [];
    for (let cursor: { after?: Date; afterSessionId?: string } = {}; ;) {
      const page = await listQueue(db, 'review', at(30), { limit: 1, ...cursor });
      if (page.length === 0) break;
      paged.push(page[0]!.sessionId);
      cursor = { after: page[0]!.decidedAt, afterSessionId: page[0]!.sessionId };
    }
    expect(paged).toEqual(reviewQueue);
    await expect(claimCase(db, { sessionId: approved, operatorId: reviewers[0]!, now: at(30), ttlSeconds: 60 })).rejects.toMatchObject({ code: 'review_not_queued' });
    await expect(claimCase(db, { sessionId: 'ses_unknownunknownunknown', operatorId: reviewers[0]!, now: at(30), ttlSeconds: 60 })).rejects.toMatchObject({ code: 'session_not_found' });
  });

  it.skipIf(skip)('audits every decision in order in a hash chain that refuses UPDATE, DELETE and TRUNCATE and exposes tampering', async () => {
    const entries = await readAuditLog(db, { limit: 1000 });
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    const automatic = entries.filter((entry) => entry.action === 'decision.automatic');
    const reviewed = entries.filter((entry) => entry.action === 'decision.reviewed');
    expect(automatic.length).toBe(Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM verifier_decisions')).rows[0]!.n));
    expect(reviewed.length).toBe(Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM verifier_reviewer_decisions')).rows[0]!.n));
    expect(reviewed[0]!.details).toEqual({ outcome: 'approve', automaticOutcome: 'review' });
    for (const [index, entry] of entries.entries()) expect(entry.prevHash).toBe(index === 0 ? '0'.repeat(64) : entries[index - 1]!.hash);
    expect(await verifyAuditChain(db)).toMatchObject({ valid: true, entries: entries.length });

    await expect(db.query(`UPDATE verifier_audit_log SET action = 'case.viewed' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM verifier_audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE verifier_audit_log')).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(db)).toMatchObject({ valid: true });

    // Someone with the power to disable the trigger rewrites an entry: the chain check finds it.
    await db.query('ALTER TABLE verifier_audit_log DISABLE TRIGGER verifier_audit_log_no_update');
    const original = (await db.query<{ details: unknown }>('SELECT details FROM verifier_audit_log WHERE seq = 3')).rows[0]!.details;
    await db.query(`UPDATE verifier_audit_log SET details = '{"outcome":"approve"}' WHERE seq = 3`);
    expect(await verifyAuditChain(db)).toMatchObject({ valid: false, firstBadSeq: 3 });
    await db.query('UPDATE verifier_audit_log SET details = $1 WHERE seq = 3', [JSON.stringify(original)]);
    await db.query('ALTER TABLE verifier_audit_log ENABLE TRIGGER verifier_audit_log_no_update');
    expect(await verifyAuditChain(db)).toMatchObject({ valid: true });
  });

  it.skipIf(skip)('purges an old prefix only through the retention path, which logs itself and leaves a verifiable chain', async () => {
    const before = await readAuditLog(db, { limit: 1000 });
    const removed = await purgeAuditLogBefore(db, at(5), at(4000));
    const after = await readAuditLog(db, { limit: 1000 });
    expect(removed).toBeGreaterThan(0);
    expect(after[0]!.seq).toBe(removed + 1);
    expect(after.at(-1)).toMatchObject({ action: 'audit.purged', seq: before.at(-1)!.seq + 1 });
    expect(await verifyAuditChain(db)).toMatchObject({ valid: true, entries: after.length });
  });
});
