/**
 * Risk routing: weighted signals to a 0-100 score and a band, then hard rules that escalate
 * whatever the score. The result records every input, the weights and bands used and its
 * reason codes, so a decision can be explained and replayed.
 */
import {
  DEFAULT_RISK_BANDS, DEFAULT_RISK_WEIGHTS, RISK_SIGNALS, assertRiskBands, assertRiskWeights,
  type RiskBands, type RiskSignalName, type RiskWeights,
} from './weights.ts';

/**
 * `escalate` routes a case to the escalation queue (a compliance reviewer), e.g. a sanctions or
 * PEP screening hit; only a hard rule produces it, never the score bands.
 */
export type RiskOutcome = 'approve' | 'review' | 'reject' | 'escalate';

export interface RiskSignal {
  name: RiskSignalName;
  /** Score in [0, 1], or null when the signal could not be measured (it then counts as 0). */
  score: number | null;
  status: 'scored' | 'missing';
  /** Where the score came from: the verifier's own re-run, or (when it cannot re-run) the client. */
  source: 'server' | 'client' | 'none';
  /** Reason codes this signal contributes (for the integrator, never shown to the user). */
  reasonCodes: string[];
  /** Flat, PII-free measurements behind the score (similarities, counts). */
  details: Record<string, string | number | boolean | null>;
}

export interface HardRule {
  code: string;
  /**
   * A hard rule only escalates: `escalate` overrides everything (a screening hit must reach a
   * human even when another rule would reject), `reject` overrides review and approve, `review`
   * overrides approve.
   */
  escalateTo: 'review' | 'reject' | 'escalate';
}

export interface RiskPolicy {
  weights: RiskWeights;
  bands: RiskBands;
  /**
   * Signals an operator has chosen not to run (e.g. no sanctions list): when missing they are left
   * out and the other weights are scaled up to sum to 1. Any other missing signal counts as 0.
   */
  optional?: readonly RiskSignalName[];
}

export const DEFAULT_RISK_POLICY: RiskPolicy = { weights: DEFAULT_RISK_WEIGHTS, bands: DEFAULT_RISK_BANDS };

export interface RiskDecision {
  outcome: RiskOutcome;
  /** Band from the score alone, before hard rules. */
  scoreOutcome: RiskOutcome;
  /** 0-100, rounded to 0.1. */
  score: number;
  reasonCodes: string[];
  signals: RiskSignal[];
  hardRules: HardRule[];
  /** The configured weights. */
  weights: RiskWeights;
  /** The weights applied (optional missing signals removed, the rest rescaled). */
  appliedWeights: Record<RiskSignalName, number>;
  bands: RiskBands;
  contributions: Record<RiskSignalName, number>;
}

const SEVERITY: Record<RiskOutcome, number> = { approve: 0, review: 1, reject: 2, escalate: 3 };

export function bandOf(score: number, bands: RiskBands): RiskOutcome {
  if (score >= bands.approveFrom) return 'approve';
  if (score >= bands.reviewFrom) return 'review';
  return 'reject';
}

/**
 * Missing signals contribute 0 (unless the policy lists them as optional): a session is never
 * approved on the strength of checks that did not run. Each missing signal also adds the reason
 * code `<signal>_missing`.
 */
export function decideRisk(signals: readonly RiskSignal[], hardRules: readonly HardRule[] = [], policy: RiskPolicy = DEFAULT_RISK_POLICY): RiskDecision {
  assertRiskWeights(policy.weights);
  assertRiskBands(policy.bands);
  const byName = new Map(signals.map((signal) => [signal.name, signal]));
  const contributions = {} as Record<RiskSignalName, number>;
  const reasonCodes: string[] = [];
  const complete: RiskSignal[] = [];
  const optional = new Set(policy.optional ?? []);
  const isMissing = (name: RiskSignalName): boolean => { const s = byName.get(name); return s === undefined || s.status === 'missing' || s.score === null; };
  const left = RISK_SIGNALS.filter((name) => optional.has(name) && isMissing(name)).reduce((sum, name) => sum + policy.weights[name], 0);
  // Weights actually applied: optional missing signals removed, the rest scaled to sum to 1.
  const weights = {} as Record<RiskSignalName, number>;
  for (const name of RISK_SIGNALS) weights[name] = optional.has(name) && isMissing(name) ? 0 : left < 1 ? policy.weights[name] / (1 - left) : 0;
  let total = 0;
  for (const name of RISK_SIGNALS) {
    const signal = byName.get(name) ?? { name, score: null, status: 'missing', source: 'none', reasonCodes: [], details: {} };
    complete.push(signal);
    const score = signal.status === 'scored' && signal.score !== null ? Math.min(1, Math.max(0, signal.score)) : 0;
    contributions[name] = Math.round(score * weights[name] * 1000) / 10;
    total += score * weights[name];
    if (signal.status === 'missing') reasonCodes.push(`${name}_missing`);
    reasonCodes.push(...signal.reasonCodes);
  }
  const score = Math.round(total * 1000) / 10;
  const scoreOutcome = bandOf(score, policy.bands);
  let outcome = scoreOutcome;
  for (const rule of hardRules) {
    if (SEVERITY[rule.escalateTo] > SEVERITY[outcome]) outcome = rule.escalateTo;
    reasonCodes.push(rule.code);
  }
  return {
    outcome, scoreOutcome, score, reasonCodes: [...new Set(reasonCodes)], signals: complete, hardRules: [...hardRules],
    weights: policy.weights, appliedWeights: weights, bands: policy.bands, contributions,
  };
}

/** What the user may be told: one generic line per outcome, never a signal or a reason. */
export const USER_MESSAGES = {
  pending: 'We are checking your verification. This usually takes a moment.',
  approve: 'Your identity has been verified.',
  review: 'Your verification needs a closer look. We will let you know the result.',
  // The same line as review: the user must not learn that a case was escalated (or why).
  escalate: 'Your verification needs a closer look. We will let you know the result.',
  reject: 'We could not verify your identity. Please contact the service that sent you here.',
  expired: 'This verification link is no longer valid. Please start again.',
} as const;
