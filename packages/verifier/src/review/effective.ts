/** The decision in force: a reviewer's supersedes the automatic one, which is kept beside it. */
import type { Outcome } from '../storage/types.ts';

export interface AutomaticDecisionView {
  outcome: Outcome;
  score: number;
  decidedAt: Date;
  reasonCodes: string[];
}

export interface ReviewerDecision {
  sessionId: string;
  operatorId: string;
  decidedAt: Date;
  outcome: 'approve' | 'reject';
  note: string;
  automaticOutcome: Outcome;
}

export interface EffectiveDecision {
  outcome: Outcome;
  decidedBy: 'automatic' | 'reviewer';
  decidedAt: Date;
}

export function effectiveDecision(automatic: AutomaticDecisionView, reviewer: ReviewerDecision | null): EffectiveDecision {
  return reviewer === null
    ? { outcome: automatic.outcome, decidedBy: 'automatic', decidedAt: automatic.decidedAt }
    : { outcome: reviewer.outcome, decidedBy: 'reviewer', decidedAt: reviewer.decidedAt };
}

/**
 * What a client token may see: an escalation looks exactly like a review, so the user cannot
 * learn that (or why) a case was escalated.
 */
export const outcomeForUser = (outcome: Outcome): Exclude<Outcome, 'escalate'> => (outcome === 'escalate' ? 'review' : outcome);
