import { EkycError } from '../errors.ts';
import { cosineSimilarity } from './vector.ts';

/** Decision bands of a face match, as in industry practice: approve automatically, send to a human, or reject. */
export type MatchBand = 'approve' | 'review' | 'reject';

export interface MatchThresholds {
  /** Cosine at or above which the match is approved automatically. */
  readonly approve: number;
  /** Cosine at or above which (and below `approve`) a human reviews it; below it is rejected. */
  readonly review: number;
}

/**
 * Defaults for the bundled `fr-feature` model, chosen from `npm run eval:face` (docs/face.md):
 * `review` sits above every impostor pair seen, `approve` at roughly a 1e-4 false-accept operating
 * point. Another model needs its own thresholds.
 */
export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { approve: 0.5, review: 0.35 };

export interface FaceMatchResult {
  readonly similarity: number;
  readonly band: MatchBand;
  readonly thresholds: MatchThresholds;
}

export function assertThresholds(thresholds: MatchThresholds): void {
  const { approve, review } = thresholds;
  if (!(Number.isFinite(approve) && Number.isFinite(review) && review <= approve && review >= -1 && approve <= 1)) {
    throw new EkycError('invalid_argument', 'Match thresholds must satisfy -1 <= review <= approve <= 1', { details: { approve, review } });
  }
}

export function bandFor(similarity: number, thresholds: MatchThresholds = DEFAULT_MATCH_THRESHOLDS): MatchBand {
  assertThresholds(thresholds);
  if (similarity >= thresholds.approve) return 'approve';
  if (similarity >= thresholds.review) return 'review';
  return 'reject';
}

/** Compares two embeddings (L2-normalized or not) and places the cosine in a band. */
export function matchEmbeddings(a: ArrayLike<number>, b: ArrayLike<number>, thresholds: MatchThresholds = DEFAULT_MATCH_THRESHOLDS): FaceMatchResult {
  const similarity = cosineSimilarity(a, b);
  return { similarity, band: bandFor(similarity, thresholds), thresholds };
}
