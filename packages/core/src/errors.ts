/**
 * One error type for the whole SDK. The `code` is the contract with integrators
 * (documented in docs/errors.md); user-facing text comes from the code through
 * i18n, never from `message`, which is for developers and never carries PII.
 */

/** Every error code the SDK can produce, with whether a retry or a user action can fix it. */
export const ERROR_CODES = {
  // Assets and runtime
  asset_fetch_failed: { recoverable: true, summary: 'A model or runtime file could not be fetched from the asset base URL.' },
  asset_hash_mismatch: { recoverable: false, summary: 'A fetched model or runtime file does not match the sha256 in the manifest.' },
  asset_truncated: { recoverable: true, summary: 'A model or runtime file ended (or its connection broke) before the size in the manifest.' },
  asset_unknown: { recoverable: false, summary: 'An asset id is not in the manifest.' },
  model_load_failed: { recoverable: false, summary: 'The inference runtime could not create a session for a model.' },
  inference_failed: { recoverable: true, summary: 'Running a model failed.' },
  runtime_unavailable: { recoverable: false, summary: 'No usable execution backend (WebGPU or WebAssembly) in this environment.' },
  backend_forced_unavailable: { recoverable: false, summary: 'The integrator forced a backend this environment does not support.' },
  gpu_device_lost: { recoverable: true, summary: 'The WebGPU device was lost; work continues on WebAssembly. Not thrown: recorded in the fallbacks of the runtime report.' },
  // Workers
  worker_crashed: { recoverable: true, summary: 'A worker died; it is restarted on the next call.' },
  worker_timeout: { recoverable: true, summary: 'A worker call took longer than its timeout.' },
  worker_terminated: { recoverable: true, summary: 'The worker was terminated while the call was in flight.' },
  // Input
  invalid_frame: { recoverable: true, summary: 'A frame is empty, detached, of the wrong size or format.' },
  invalid_argument: { recoverable: false, summary: 'An API was called with an argument outside its contract.' },
  camera_denied: { recoverable: true, summary: 'The user or a policy denied camera access.' },
  camera_not_found: { recoverable: true, summary: 'No camera is available.' },
  camera_in_use: { recoverable: true, summary: 'The camera is used by another application.' },
  camera_unsupported: { recoverable: false, summary: 'No camera API here: the page is not a secure context (HTTPS or localhost) or the browser has no getUserMedia.' },
  image_decode_failed: { recoverable: true, summary: 'An uploaded file could not be decoded as an image (thrown by the document client for uploads).' },
  // MRZ
  mrz_unsupported_format: { recoverable: true, summary: 'The text is not one of TD1, TD2, TD3, MRV-A, MRV-B.' },
  mrz_invalid_characters: { recoverable: true, summary: 'The MRZ holds characters outside A-Z, 0-9 and <.' },
  mrz_check_digit: { recoverable: true, summary: 'A check digit does not match its field.' },
  mrz_invalid_field: { recoverable: true, summary: 'A field has an impossible value (date, sex, country code).' },
  mrz_ambiguous: { recoverable: true, summary: 'Several corrections are equally plausible; the MRZ cannot be trusted.' },
  mrz_search_exhausted: { recoverable: true, summary: 'The correction search spent its budget before it could decide; the MRZ cannot be trusted.' },
  mrz_line_length: { recoverable: true, summary: 'A reading has a line shorter than the cell reader measured it (characters lost under glare); the MRZ cannot be trusted.' },
  mrz_input_too_large: { recoverable: true, summary: 'The text is longer than any MRZ could be with OCR noise; nothing was read.' },
  // Documents (packages/core/src/document, pipelines/document)
  document_resolution_low: { recoverable: true, summary: 'The document is too small in the frame to be read (under the minimum DPI equivalent); move closer or use a sharper image.' },
  document_mrz_not_found: { recoverable: true, summary: 'No machine-readable zone was found on an image where the document type needs one.' },
  document_mrz_unreadable: { recoverable: true, summary: 'An MRZ was found but no reading passed its check digits unambiguously; nothing was reported as valid.' },
  document_expired: { recoverable: false, summary: 'Document check: the document expired before the reference date.' },
  document_not_yet_valid: { recoverable: false, summary: 'Document check: the printed issue date lies after the reference date.' },
  document_holder_under_age: { recoverable: false, summary: 'Document check: the holder is younger than the session minimum age.' },
  document_validity_too_long: { recoverable: false, summary: 'Document check: the expiry lies further out than any genuine document of this type is valid.' },
  document_type_not_accepted: { recoverable: false, summary: 'Document check: the document type is not in the accepted documents of the session.' },
  document_country_not_accepted: { recoverable: false, summary: 'Document check: the issuing state is not in the accepted countries of the session.' },
  document_country_unreadable: { recoverable: true, summary: 'Document check: the session accepts only some countries and the issuing state could not be read with certainty (a licence\'s distinguishing sign); never taken as accepted.' },
  document_dates_unreadable: { recoverable: true, summary: 'Document check: a date the checks need could not be read.' },
  document_viz_mrz_mismatch: { recoverable: false, summary: 'Signal, not thrown: a printed visual-zone field disagrees with the MRZ (a field-modification cue).' },
  // Face
  face_not_found: { recoverable: true, summary: 'No face was found.' },
  face_multiple: { recoverable: true, summary: 'More than one face is in the frame.' },
  face_too_small: { recoverable: true, summary: 'The face is too small to be matched reliably.' },
  face_bad_pose: { recoverable: true, summary: 'The face is turned or tilted too far.' },
  face_blurry: { recoverable: true, summary: 'The face is out of focus.' },
  face_eyes_not_visible: { recoverable: true, summary: 'The eyes are closed or hidden.' },
  face_continuity_broken: { recoverable: false, summary: 'The face changed during the session.' },
  // Liveness
  liveness_transcript_invalid: { recoverable: false, summary: 'A liveness transcript does not match its schema or cannot be replayed.' },
  // Evidence
  evidence_schema_invalid: { recoverable: false, summary: 'The evidence bundle does not match its schema.' },
  evidence_too_large: { recoverable: false, summary: 'The evidence bundle exceeds the size limit.' },
  evidence_truncated: { recoverable: false, summary: 'The evidence bundle is truncated.' },
  evidence_decrypt_failed: { recoverable: false, summary: 'The bundle could not be decrypted with the verifier key.' },
  evidence_signature_invalid: { recoverable: false, summary: 'The bundle signature does not verify.' },
  evidence_chain_broken: { recoverable: false, summary: 'The event hash chain is broken.' },
  evidence_hash_mismatch: { recoverable: false, summary: 'An artifact does not match its recorded sha256.' },
  evidence_nonce_mismatch: { recoverable: false, summary: 'The bundle is bound to another nonce than the one issued.' },
  evidence_nonce_replayed: { recoverable: false, summary: 'The nonce was already used by another bundle.' },
  evidence_timestamp_invalid: { recoverable: false, summary: 'Timestamps are out of order or outside the allowed window.' },
  evidence_upload_invalid: { recoverable: false, summary: 'A chunked upload is malformed or its chunks disagree with each other.' },
  evidence_upload_busy: { recoverable: true, summary: 'The verifier holds too many unfinished uploads; try again later.' },
  // Transport
  transport_failed: { recoverable: true, summary: 'The evidence could not be delivered; it stays in the outbox.' },
  transport_rejected: { recoverable: false, summary: 'The endpoint refused the evidence.' },
  transport_not_acknowledged: { recoverable: true, summary: 'The endpoint answered without the verifier\'s acknowledgement (e.g. a redirect or a captive portal); the evidence stays in the outbox.' },
  transport_outbox_unavailable: { recoverable: true, summary: 'The outbox could not store the evidence (e.g. storage quota); it was sent without a durable copy.' },
  transport_outbox_expired: { recoverable: false, summary: 'An outbox entry reached its attempt or age limit; it is kept, unsent, for the integrator to retry or discard.' },
  // Verifier
  auth_failed: { recoverable: false, summary: 'The integrator API key or the client token is missing, expired or invalid.' },
  session_not_found: { recoverable: false, summary: 'No verification session has this id.' },
  session_expired: { recoverable: false, summary: 'The verification session expired before its evidence arrived.' },
  session_key_conflict: { recoverable: false, summary: 'Another signing key is already registered for this session, or the session no longer accepts one.' },
  evidence_key_mismatch: { recoverable: false, summary: 'The bundle is signed by another key than the one registered for its session.' },
  handoff_invalid: { recoverable: false, summary: 'A handoff token is malformed or was never issued.' },
  handoff_used: { recoverable: false, summary: 'A handoff token was already exchanged: each link works once; ask the first device for a new one.' },
  handoff_expired: { recoverable: false, summary: 'A handoff token expired, or a newer link for the same session replaced it.' },
  handoff_unavailable: { recoverable: false, summary: 'The session can no longer move to another device: a signing key is bound or its evidence arrived.' },
  consent_declined: { recoverable: true, summary: 'The user declined the consent; nothing was captured. The flow ends unless it is started again.' },
  webhook_target_refused: { recoverable: false, summary: 'A webhook URL is refused: not https in production, or it resolves to a private, loopback, link-local, reserved or IPv4-mapped address outside VERIFIER_WEBHOOK_ALLOW_PRIVATE.' },
  webhook_signature_invalid: { recoverable: false, summary: 'A webhook\'s Ekyc-Signature header is malformed, or no v1 signature in it matches the timestamp and body under any of the secrets.' },
  webhook_timestamp_outside_window: { recoverable: false, summary: 'A webhook\'s signed timestamp lies outside the replay window (older, or further in the future, than the tolerance).' },
  liveness_locked_out: { recoverable: true, summary: 'Too many failed liveness attempts from this device or network within the window; retry after the Retry-After seconds.' },
  session_retries_exhausted: { recoverable: false, summary: 'The session has used every liveness attempt its configuration allows (1 + maxRetries).' },
  auth_forbidden: { recoverable: false, summary: 'The operator is signed in but their role (reviewer or auditor) may not do this.' },
  review_not_queued: { recoverable: false, summary: 'The case is in no review queue: not decided yet, decided automatically as approve or reject, or already decided by a reviewer.' },
  review_claim_conflict: { recoverable: true, summary: 'Another reviewer holds a live claim on this case; try another case, or this one after the claim expires.' },
  review_claim_required: { recoverable: true, summary: 'A reviewer decision needs the reviewer\'s own live claim on the case; claim it (again) first.' },
  rate_limited: { recoverable: true, summary: 'Too many requests from this client for this route; retry after the Retry-After seconds.' },
  request_too_large: { recoverable: false, summary: 'The request body exceeds the size limit of its route.' },
} as const satisfies Record<string, { recoverable: boolean; summary: string }>;

export type EkycErrorCode = keyof typeof ERROR_CODES;

export interface EkycErrorOptions {
  cause?: unknown;
  /** Overrides the default from ERROR_CODES. */
  recoverable?: boolean;
  /** Structured, PII-free context (ids, sizes, expected/actual hashes). */
  details?: Readonly<Record<string, unknown>>;
}

export class EkycError extends Error {
  override readonly name = 'EkycError';
  readonly code: EkycErrorCode;
  readonly recoverable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: EkycErrorCode, message: string, options: EkycErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.recoverable = options.recoverable ?? ERROR_CODES[code].recoverable;
    this.details = options.details ?? {};
  }

  /** A structured-clone-safe form, for crossing a worker boundary or writing to evidence. */
  toJSON(): SerializedEkycError {
    return { name: 'EkycError', code: this.code, message: this.message, recoverable: this.recoverable, details: this.details };
  }

  static fromJSON(value: SerializedEkycError): EkycError {
    return new EkycError(value.code, value.message, { recoverable: value.recoverable, details: value.details });
  }
}

export interface SerializedEkycError {
  name: 'EkycError';
  code: EkycErrorCode;
  message: string;
  recoverable: boolean;
  details: Readonly<Record<string, unknown>>;
}

export function isEkycErrorCode(value: unknown): value is EkycErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export function isSerializedEkycError(value: unknown): value is SerializedEkycError {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'EkycError'
    && isEkycErrorCode((value as { code?: unknown }).code);
}

export function isEkycError(value: unknown): value is EkycError {
  return value instanceof EkycError;
}
