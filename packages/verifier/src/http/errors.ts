import { EkycError, type EkycErrorCode } from '@ekyc/core';

/** HTTP status for each EkycError the API can raise; anything else from a bundle is 422. */
const STATUS: Partial<Record<EkycErrorCode, number>> = {
  auth_failed: 401,
  session_not_found: 404,
  session_key_conflict: 409,
  invalid_argument: 400,
  evidence_upload_invalid: 400,
  evidence_truncated: 400,
  evidence_hash_mismatch: 400,
  evidence_too_large: 413,
  evidence_upload_busy: 503,
  liveness_locked_out: 429,
  session_retries_exhausted: 409,
  rate_limited: 429,
  request_too_large: 413,
  auth_forbidden: 403,
  review_not_queued: 409,
  review_claim_conflict: 409,
  review_claim_required: 409,
};

export function httpStatusOf(error: EkycError): number {
  return STATUS[error.code] ?? (error.code.startsWith('evidence_') || error.code.startsWith('session_') ? 422 : 500);
}
