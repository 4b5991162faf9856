import { ERROR_CODES, isEkycErrorCode, type EkycErrorCode } from '@ekyc/core';
import type { MessageKey } from './en.ts';

/**
 * Which user message an error code shows. A table, not a switch: adding a code means adding a row.
 *
 * Codes that come from fraud or integrity signals (a changed face, a printed field that disagrees
 * with the MRZ, a broken signature or chain, a replayed nonce, a foreign key) all show the same
 * generic `error.not_verified`: the wording never tells a fraudster which check caught them.
 * Codes not listed fall back on their `recoverable` flag: `error.retry_generic` or `error.not_verified`.
 */
export const ERROR_MESSAGE_KEYS: Partial<Record<EkycErrorCode, MessageKey>> = {
  asset_fetch_failed: 'error.network',
  asset_truncated: 'error.network',
  runtime_unavailable: 'error.unsupported',
  backend_forced_unavailable: 'error.unsupported',
  camera_denied: 'camera.camera_denied.body',
  camera_not_found: 'camera.camera_not_found.body',
  camera_in_use: 'camera.camera_in_use.body',
  camera_unsupported: 'camera.camera_unsupported.body',
  image_decode_failed: 'error.image_unreadable',
  invalid_frame: 'error.image_unreadable',
  mrz_unsupported_format: 'error.document_unreadable',
  mrz_invalid_characters: 'error.document_unreadable',
  mrz_check_digit: 'error.document_unreadable',
  mrz_invalid_field: 'error.document_unreadable',
  mrz_ambiguous: 'error.document_unreadable',
  mrz_search_exhausted: 'error.document_unreadable',
  mrz_line_length: 'error.document_unreadable',
  mrz_input_too_large: 'error.document_unreadable',
  document_resolution_low: 'error.document_unreadable',
  document_mrz_not_found: 'error.document_unreadable',
  document_mrz_unreadable: 'error.document_unreadable',
  document_dates_unreadable: 'error.document_unreadable',
  document_country_unreadable: 'error.document_unreadable',
  document_expired: 'error.document_expired',
  document_not_yet_valid: 'error.document_not_accepted',
  document_type_not_accepted: 'error.document_not_accepted',
  document_country_not_accepted: 'error.document_not_accepted',
  // Fraud cues: generic, never the reason.
  document_validity_too_long: 'error.not_verified',
  document_viz_mrz_mismatch: 'error.not_verified',
  document_holder_under_age: 'error.not_verified',
  face_not_found: 'error.face_unclear',
  face_multiple: 'error.face_unclear',
  face_too_small: 'error.face_unclear',
  face_bad_pose: 'error.face_unclear',
  face_blurry: 'error.face_unclear',
  face_eyes_not_visible: 'error.face_unclear',
  face_continuity_broken: 'error.not_verified',
  liveness_transcript_invalid: 'error.not_verified',
  transport_failed: 'error.network',
  transport_not_acknowledged: 'error.network',
  evidence_upload_busy: 'error.busy',
  session_not_found: 'error.session_invalid',
  session_expired: 'error.session_invalid',
  auth_failed: 'error.session_invalid',
  handoff_invalid: 'error.handoff_link',
  handoff_used: 'error.handoff_link',
  handoff_expired: 'error.handoff_link',
  handoff_unavailable: 'error.handoff_unavailable',
  consent_declined: 'error.consent_declined',
};

const byCode = ERROR_MESSAGE_KEYS as Readonly<Record<string, MessageKey | undefined>>;

/** The message key for an error code; unknown codes (a newer verifier's) get the generic wording. */
export function errorMessageKey(code: string): MessageKey {
  const key = byCode[code];
  if (key) return key;
  // Extra codes added to core after this table: lock-outs and rate limits read as "busy".
  if (code === 'rate_limited' || code === 'liveness_locked_out') return 'error.busy';
  if (isEkycErrorCode(code)) return ERROR_CODES[code].recoverable ? 'error.retry_generic' : 'error.not_verified';
  return 'error.not_verified';
}
