/**
 * Review, duplicates and screening settings from the environment (docs/verifier-review.md):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `VERIFIER_REVIEW_CLAIM_SECONDS` | 900 | how long a reviewer's claim on a case lasts |
 * | `VERIFIER_SCREENING_LIST` | none | path of the sanctions / PEP list file (ekyc-screening-list v1); none: screening off, the signal missing |
 * | `VERIFIER_FACE_DUPLICATE_THRESHOLD` | 0.5 | selfie cosine at or above which two sessions are near-duplicates |
 */
import { EkycError } from '@ekyc/core';
import { FACE_DUPLICATE_THRESHOLD } from '../duplicates/find.ts';

export interface ReviewConfig {
  claimTtlSeconds: number;
  screeningListPath: string | null;
  faceDuplicateThreshold: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadReviewConfig(env: Env): ReviewConfig {
  const claim = env.VERIFIER_REVIEW_CLAIM_SECONDS;
  const claimTtlSeconds = claim === undefined || claim === '' ? 900 : Number(claim);
  if (!Number.isInteger(claimTtlSeconds) || claimTtlSeconds < 30 || claimTtlSeconds > 24 * 3600) {
    throw new EkycError('invalid_argument', 'VERIFIER_REVIEW_CLAIM_SECONDS must be an integer from 30 to 86400.', { details: { name: 'VERIFIER_REVIEW_CLAIM_SECONDS' } });
  }
  const threshold = env.VERIFIER_FACE_DUPLICATE_THRESHOLD;
  const faceDuplicateThreshold = threshold === undefined || threshold === '' ? FACE_DUPLICATE_THRESHOLD : Number(threshold);
  if (!(faceDuplicateThreshold > 0 && faceDuplicateThreshold <= 1)) {
    throw new EkycError('invalid_argument', 'VERIFIER_FACE_DUPLICATE_THRESHOLD must be a number in (0, 1].', { details: { name: 'VERIFIER_FACE_DUPLICATE_THRESHOLD' } });
  }
  const list = env.VERIFIER_SCREENING_LIST;
  return { claimTtlSeconds, screeningListPath: list === undefined || list.trim() === '' ? null : list, faceDuplicateThreshold };
}
