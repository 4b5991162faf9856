/**
 * The outbox row commits and rolls back with the decision (PGlite and PostgreSQL): saveDecision
 * writes exactly one event per decision, a retried job writes none, and a transaction that throws
 * after enqueueDecisionEvent leaves no row.
 */
import { describe, expect, it } from 'vitest';
import { generateNonce } from '@ekyc/core';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { TEST_DATABASES, useMigratedDatabase } from '../testing/databases.ts';
import { DECISION_EVENT_TYPE, enqueueDecisionEvent, type DecisionEventBody } from './outbox.ts';

describe.each(TEST_DATABASES)('webhook outbox on %s', (kind) => {
  const setup = useMigratedDatabase(kind);
  const { skip } = setup;

  const newSession = async (reference: string | null) => {
    const id = `ses_outbox_${Math.random().toString(36).slice(2, 12)}`;
    const now = new Date();
    await setup.store.createSession({ id, nonce: generateNonce(), createdAt: now, expiresAt: new Date(now.getTime() + 60_000), config: DEFAULT_SESSION_CONFIG, integratorReference: reference });
    return id;
  };
  const eventsOf = async (sessionId: string) =>
    (await setup.db.query<{ event_id: string; payload: DecisionEventBody }>('SELECT event_id, payload FROM verifier_webhook_outbox WHERE session_id = $1', [sessionId])).rows;

  it.skipIf(skip)('saveDecision writes one event with the decision; a retried job writes none', async () => {
    const id = await newSession('order-17');
    const decidedAt = new Date('2026-01-02T03:04:05.000Z');
    const decision = { sessionId: id, decidedAt, outcome: 'review' as const, score: 72.5, reasonCodes: ['mrz_invalid'], record: {} };
    expect(await setup.store.saveDecision(decision, null)).toBe(true);
    expect(await setup.store.saveDecision({ ...decision, outcome: 'approve' }, null)).toBe(false);
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toEqual({
      id: events[0]!.event_id, type: DECISION_EVENT_TYPE, createdAt: decidedAt.toISOString(),
      data: { sessionId: id, outcome: 'review', decidedBy: 'automatic', decidedAt: decidedAt.toISOString(), integratorReference: 'order-17', score: 72.5, reasonCodes: ['mrz_invalid'] },
    });
  });

  it.skipIf(skip)('a rolled-back transaction leaves no event', async () => {
    const id = await newSession(null);
    await expect(setup.db.transaction(async (tx) => {
      await enqueueDecisionEvent(tx, { sessionId: id, outcome: 'reject', decidedBy: 'reviewer', decidedAt: new Date(), integratorReference: null });
      expect((await tx.query('SELECT 1 FROM verifier_webhook_outbox WHERE session_id = $1', [id])).rows).toHaveLength(1);
      throw new Error('the reviewer decision failed after the event was written');
    })).rejects.toThrow('reviewer decision failed');
    expect(await eventsOf(id)).toEqual([]);
  });
});
