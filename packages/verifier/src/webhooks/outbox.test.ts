/**
 * The outbox row commits and rolls back with the decision (PGlite and PostgreSQL): saveDecision
 * writes exactly one event per decision, a retried job writes none, and a transaction that throws
 * after enqueueDecisionEvent leaves no row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNonce } from '@ekyc/core';
import { openDatabase, type Database } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { SessionStore } from '../storage/session-store.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { DECISION_EVENT_TYPE, enqueueDecisionEvent, type DecisionEventBody } from './outbox.ts';

describe.each(['pglite', 'postgres'] as const)('webhook outbox on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let db: Database;
  let store: SessionStore;

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

  const newSession = async (reference: string | null) => {
    const id = `ses_outbox_${Math.random().toString(36).slice(2, 12)}`;
    const now = new Date();
    await store.createSession({ id, nonce: generateNonce(), createdAt: now, expiresAt: new Date(now.getTime() + 60_000), config: DEFAULT_SESSION_CONFIG, integratorReference: reference });
    return id;
  };
  const eventsOf = async (sessionId: string) =>
    (await db.query<{ event_id: string; payload: DecisionEventBody }>('SELECT event_id, payload FROM verifier_webhook_outbox WHERE session_id = $1', [sessionId])).rows;

  it.skipIf(skip)('saveDecision writes one event with the decision; a retried job writes none', async () => {
    const id = await newSession('order-17');
    const decidedAt = new Date('2026-01-02T03:04:05.000Z');
    const decision = { sessionId: id, decidedAt, outcome: 'review' as const, score: 72.5, reasonCodes: ['mrz_invalid'], record: {} };
    expect(await store.saveDecision(decision, null)).toBe(true);
    expect(await store.saveDecision({ ...decision, outcome: 'approve' }, null)).toBe(false);
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toEqual({
      id: events[0]!.event_id, type: DECISION_EVENT_TYPE, createdAt: decidedAt.toISOString(),
      data: { sessionId: id, outcome: 'review', decidedBy: 'automatic', decidedAt: decidedAt.toISOString(), integratorReference: 'order-17', score: 72.5, reasonCodes: ['mrz_invalid'] },
    });
  });

  it.skipIf(skip)('a rolled-back transaction leaves no event', async () => {
    const id = await newSession(null);
    await expect(db.transaction(async (tx) => {
      await enqueueDecisionEvent(tx, { sessionId: id, outcome: 'reject', decidedBy: 'reviewer', decidedAt: new Date(), integratorReference: null });
      expect((await tx.query('SELECT 1 FROM verifier_webhook_outbox WHERE session_id = $1', [id])).rows).toHaveLength(1);
      throw new Error('the reviewer decision failed after the event was written');
    })).rejects.toThrow('reviewer decision failed');
    expect(await eventsOf(id)).toEqual([]);
  });
});
