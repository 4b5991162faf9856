/**
 * The webhook outbox: a decision event is a row written with the caller's transaction client, so
 * it commits or rolls back with the decision itself (none lost, none sent for a decision that was
 * rolled back). Delivery happens later, from the row (delivery.ts).
 */
import type { SqlClient } from '../db/driver.ts';
import type { Outcome } from '../storage/types.ts';

export const DECISION_EVENT_TYPE = 'verification.decided';

export interface DecisionEvent {
  sessionId: string;
  /** The outcome now in force (a reviewer's supersedes the automatic one). */
  outcome: Outcome;
  decidedBy: 'automatic' | 'reviewer';
  decidedAt: Date;
  /** The integrator's own reference given at POST /sessions (null when none). */
  integratorReference: string | null;
  /** Optional: the decision's score and reason codes (the integrator's view, as GET /sessions/:id). */
  score?: number;
  reasonCodes?: readonly string[];
}

/** What the integrator receives as the JSON body (docs/verifier-webhooks.md). */
export interface DecisionEventBody {
  id: string;
  type: typeof DECISION_EVENT_TYPE;
  createdAt: string;
  data: {
    sessionId: string;
    outcome: Outcome;
    decidedBy: 'automatic' | 'reviewer';
    decidedAt: string;
    integratorReference: string | null;
    score?: number;
    reasonCodes?: string[];
  };
}

export const newEventId = (): string => `evt_${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url')}`;

export function decisionEventBody(eventId: string, event: DecisionEvent): DecisionEventBody {
  return {
    id: eventId,
    type: DECISION_EVENT_TYPE,
    createdAt: event.decidedAt.toISOString(),
    data: {
      sessionId: event.sessionId,
      outcome: event.outcome,
      decidedBy: event.decidedBy,
      decidedAt: event.decidedAt.toISOString(),
      integratorReference: event.integratorReference,
      ...(event.score === undefined ? {} : { score: event.score }),
      ...(event.reasonCodes === undefined ? {} : { reasonCodes: [...event.reasonCodes] }),
    },
  };
}

/**
 * Writes the event's outbox row with `db` — pass the transaction client the decision is written
 * with. Returns the event id (the `Ekyc-Event-Id` header of every delivery attempt). The row is
 * due at once; delivery workers pick it up on their next poll.
 */
export async function enqueueDecisionEvent(db: SqlClient, event: DecisionEvent): Promise<string> {
  const eventId = newEventId();
  await db.query(
    `INSERT INTO verifier_webhook_outbox (event_id, event_type, session_id, payload, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $5)`,
    [eventId, DECISION_EVENT_TYPE, event.sessionId, JSON.stringify(decisionEventBody(eventId, event)), event.decidedAt],
  );
  return eventId;
}
