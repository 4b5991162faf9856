import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_POLICY, RISK_SIGNALS, USER_MESSAGES, decideRisk, type RiskSignal } from './index.ts';

const scored = (name: RiskSignal['name'], score: number, reasonCodes: string[] = []): RiskSignal => ({ name, score, status: 'scored', source: 'server', reasonCodes, details: {} });
const all = (score: number): RiskSignal[] => RISK_SIGNALS.map((name) => scored(name, score));

describe('decideRisk', () => {
  it('weights signals as seed 004 and routes 85-100 approve, 50-84 review, 0-49 reject', () => {
    expect(decideRisk(all(1)).score).toBe(100);
    expect(decideRisk(all(1)).outcome).toBe('approve');
    expect(decideRisk(all(0.85)).outcome).toBe('approve');
    expect(decideRisk(all(0.84)).outcome).toBe('review');
    expect(decideRisk(all(0.5)).outcome).toBe('review');
    expect(decideRisk(all(0.49)).outcome).toBe('reject');
    // Face liveness alone carries 25 points.
    const noLiveness = all(1).map((s) => (s.name === 'face_liveness' ? scored('face_liveness', 0) : s));
    expect(decideRisk(noLiveness).score).toBe(75);
    expect(decideRisk(noLiveness).contributions.face_liveness).toBe(0);
  });

  it('counts a missing signal as zero, with its own reason code', () => {
    const signals = all(1).filter((s) => s.name !== 'sanctions');
    const decision = decideRisk(signals);
    expect(decision.score).toBe(95);
    expect(decision.reasonCodes).toContain('sanctions_missing');
    expect(decision.signals.find((s) => s.name === 'sanctions')?.status).toBe('missing');
  });

  it('leaves out optional signals an operator does not run, scaling the others', () => {
    const signals = all(1).filter((s) => s.name !== 'sanctions' && s.name !== 'device_velocity');
    const decision = decideRisk(signals, [], { ...DEFAULT_RISK_POLICY, optional: ['sanctions', 'device_velocity'] });
    expect(decision.score).toBe(100);
    expect(decision.appliedWeights.sanctions).toBe(0);
    expect(decision.appliedWeights.face_liveness).toBeCloseTo(0.25 / 0.85, 9);
    expect(decision.reasonCodes).toContain('sanctions_missing');
    // A required signal missing still counts as zero.
    const noMatch = decideRisk(signals.filter((s) => s.name !== 'face_match'), [], { ...DEFAULT_RISK_POLICY, optional: ['sanctions', 'device_velocity'] });
    expect(noMatch.score).toBeCloseTo(100 - (0.2 / 0.85) * 100, 0);
  });

  it('lets hard rules escalate whatever the score, never de-escalate', () => {
    expect(decideRisk(all(1), [{ code: 'document_expired', escalateTo: 'reject' }]).outcome).toBe('reject');
    expect(decideRisk(all(1), [{ code: 'score_disagreement', escalateTo: 'review' }]).outcome).toBe('review');
    const low = decideRisk(all(0.1), [{ code: 'x', escalateTo: 'review' }]);
    expect(low.outcome).toBe('reject');
    expect(low.scoreOutcome).toBe('reject');
    // Escalate (a screening hit) wins over everything, reject included.
    const hit = decideRisk(all(1), [{ code: 'document_expired', escalateTo: 'reject' }, { code: 'screening_hit', escalateTo: 'escalate' }]);
    expect(hit.outcome).toBe('escalate');
    expect(hit.scoreOutcome).toBe('approve');
    expect(hit.reasonCodes).toEqual(expect.arrayContaining(['document_expired', 'screening_hit']));
  });

  it('tells an escalated user exactly what a reviewed user is told', () => {
    expect(USER_MESSAGES.escalate).toBe(USER_MESSAGES.review);
  });

  it('records inputs, weights, bands and reason codes, and refuses weights that do not sum to 1', () => {
    const decision = decideRisk([scored('face_match', 0.3, ['face_match_low'])]);
    expect(decision.weights).toEqual(DEFAULT_RISK_POLICY.weights);
    expect(decision.bands).toEqual({ approveFrom: 85, reviewFrom: 50 });
    expect(decision.reasonCodes).toContain('face_match_low');
    expect(decision.signals).toHaveLength(RISK_SIGNALS.length);
    expect(() => decideRisk(all(1), [], { ...DEFAULT_RISK_POLICY, weights: { ...DEFAULT_RISK_POLICY.weights, sanctions: 0.5 } })).toThrow(/sum to 1/);
  });

  it('has user messages that name no signal', () => {
    for (const message of Object.values(USER_MESSAGES)) {
      for (const word of ['liveness', 'spoof', 'fraud', 'match', 'sanction', 'expired', 'mrz']) expect(message.toLowerCase()).not.toContain(word);
    }
  });
});
