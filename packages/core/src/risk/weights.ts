/**
 * Risk signals and their weights (seed 004). Each signal is a score in [0, 1]; the weighted sum,
 * scaled to 0-100, is routed to a band. Weights are configurable and must sum to 1.
 */
import { EkycError } from '../errors.ts';

export const RISK_SIGNALS = [
  'face_liveness', 'face_match', 'document_authenticity', 'document_liveness', 'data_checks', 'sanctions', 'device_velocity',
] as const;
export type RiskSignalName = (typeof RISK_SIGNALS)[number];
export type RiskWeights = Readonly<Record<RiskSignalName, number>>;

export const DEFAULT_RISK_WEIGHTS: RiskWeights = {
  face_liveness: 0.25,
  face_match: 0.2,
  document_authenticity: 0.15,
  document_liveness: 0.1,
  data_checks: 0.15,
  sanctions: 0.05,
  device_velocity: 0.1,
};

export interface RiskBands {
  /** Scores at or above this approve (default 85). */
  approveFrom: number;
  /** Scores at or above this (and below approve) go to review (default 50); below, reject. */
  reviewFrom: number;
}

export const DEFAULT_RISK_BANDS: RiskBands = { approveFrom: 85, reviewFrom: 50 };

export function assertRiskWeights(weights: RiskWeights): void {
  let sum = 0;
  for (const name of RISK_SIGNALS) {
    const weight = weights[name];
    if (!(weight >= 0 && weight <= 1)) throw new EkycError('invalid_argument', 'A risk weight is outside [0, 1].', { details: { signal: name } });
    sum += weight;
  }
  if (Math.abs(sum - 1) > 1e-9) throw new EkycError('invalid_argument', 'Risk weights must sum to 1.', { details: { sum } });
}

export function assertRiskBands(bands: RiskBands): void {
  if (!(bands.reviewFrom >= 0 && bands.reviewFrom <= bands.approveFrom && bands.approveFrom <= 100)) {
    throw new EkycError('invalid_argument', 'Risk bands must satisfy 0 <= reviewFrom <= approveFrom <= 100.', { details: { ...bands } });
  }
}
