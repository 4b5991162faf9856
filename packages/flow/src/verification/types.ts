/**
 * The contract of `VerificationFlow`: steps, options, state and the typed events the flow dispatches.
 * Elements (`@ekyc/elements`) and npm users render from these events and from `flow.state`; the flow
 * holds no view state (no text, no layout), only what happened and what it waits for.
 */
import type { EkycErrorCode, document as coreDocument, face as coreFace, liveness as coreLiveness, quality as coreQuality, MrzFormat } from '@ekyc/core';
import type { LivenessDiagnostics } from '../liveness/diagnostics.ts';
import type { DocumentFrameCounts } from '../capture/document-reading.ts';
import type { BackendPreference } from '@ekyc/workers';

// ---------------------------------------------------------------------------------------------
// Steps

/** Every step the flow can run, in order. */
export const STEP_IDS = [
  'session', 'consent', 'document-front', 'document-back', 'document-read', 'document-review',
  'liveness', 'face-match', 'evidence', 'submit', 'result',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/**
 * Steps a caller may leave out of `steps` (like the hosted SDKs' `steps` option). `session`,
 * `consent` and `evidence` always run: nothing is captured before consent, and the evidence is what
 * the verification produces. `submit` is required with a verifier session and impossible without one.
 * `document-back` runs only when the document type needs it (core `document.sideLayout`).
 */
export const OPTIONAL_STEPS = ['document-front', 'document-back', 'document-read', 'document-review', 'liveness', 'face-match', 'submit', 'result'] as const;
export type OptionalStepId = (typeof OPTIONAL_STEPS)[number];

/** Where a capture step's images come from. */
export type CaptureMode = 'camera' | 'upload';

/** The user's choices the flow waits for; `null` while it works on its own. */
export type Awaiting =
  | 'consent'          // grantConsent(locale) or declineConsent()
  | 'capture'          // camera running (auto-capture), or useUpload(files)
  | 'upload'           // no camera in this step: useUpload(files), retryCamera() or startHandoff()
  | 'review'           // confirmReview(edits?) or retake()
  | 'error'            // a recoverable error: one of `FlowErrorDetail.actions`
  | 'handoff';         // the phone is doing the capture; the desktop follows the session status

// ---------------------------------------------------------------------------------------------
// Session

/** The session configuration the verifier hands the client (seed 004); `config` sessions may set it. */
export interface FlowSessionConfig {
  acceptedDocuments: readonly coreDocument.DocumentType[];
  /** ICAO 3-letter codes; empty = every country. */
  acceptedCountries: readonly string[];
  thresholds: { faceMatch: number; faceContinuity: number; minimumAge: number; clientDisagreement: number };
  livenessChallengeCount: number;
  maxRetries: number;
}

/** The verifier's public key to seal evidence to (from `POST /sessions`). */
export interface VerifierPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid?: string;
  alg?: 'ECDH-ES+A256KW';
  use?: 'enc';
}

/** A session created by the integrator's backend on the verifier (`POST /sessions`), handed to the page. */
export interface VerifierSessionSource {
  /** The verifier's base URL as the page reaches it (same origin or CORS). */
  verifierUrl: string;
  sessionId: string;
  clientToken: string;
  /**
   * The rest of `POST /sessions`' answer when the page has it; otherwise the flow asks the verifier
   * (`GET /sessions/:id/client`, client token) for the nonce, key and configuration.
   */
  nonce?: string;
  verifierKey?: VerifierPublicJwk;
  config?: FlowSessionConfig;
  expiresAt?: string;
}

/** The phone side of a cross-device handoff: the single-use token from the QR link. */
export interface HandoffSessionSource {
  verifierUrl: string;
  handoffToken: string;
}

/**
 * No verifier (offline use, demos, tests): the evidence is built and signed but not submitted,
 * unless `verifierKey` is given (then sealed) and the caller delivers it through `complete`'s detail.
 */
export interface ConfigSessionSource {
  config: Partial<FlowSessionConfig>;
  /** Default a random `local_...` id. */
  sessionId?: string;
  /** Default a fresh random nonce (core `generateNonce`); the liveness challenge order is drawn from it. */
  nonce?: string;
  verifierKey?: VerifierPublicJwk;
}

export type SessionSource = VerifierSessionSource | HandoffSessionSource | ConfigSessionSource;

/** The session as the flow runs it, whatever its source. */
export interface FlowSession {
  source: 'verifier' | 'handoff' | 'config';
  sessionId: string;
  nonce: string;
  config: FlowSessionConfig;
  verifierKey: VerifierPublicJwk | null;
  /** Null for `config` sessions. */
  verifierUrl: string | null;
  expiresAt: string | null;
}

// ---------------------------------------------------------------------------------------------
// Options

/** The consent text shown before anything is captured; only its hash goes into the evidence. */
export interface ConsentText {
  /** Integrator's identifier of the text, e.g. `kyc-consent`. */
  id: string;
  /** Its version, e.g. `2026-01`. */
  version: string;
  /**
   * The exact text per locale, as shown (what is captured, why, for how long, by whom). The SHA-256
   * of the UTF-8 text of the locale granted is recorded. A locale missing here falls back to `en`.
   */
  text: Readonly<Record<string, string>>;
  /** Scopes granted with it; default `['identity_verification']`. */
  scopes?: readonly string[];
}

/** Thresholds the flow applies on the device (the verifier re-judges with its own). */
export interface FlowThresholds {
  /** Quality gate of the document capture (core `quality.QualityThresholds`). */
  quality?: Partial<coreQuality.QualityThresholds>;
  /** Face match bands on the device; default from the session's `faceMatch` (approve) and 0.15 below it (review). */
  faceMatch?: coreFace.MatchThresholds;
}

export interface VerificationFlowOptions {
  session: SessionSource;
  /** BCP 47; the consent records the locale actually granted. Default `navigator.language`, else `en`. */
  locale?: string;
  /** Steps to run, in the fixed order of `STEP_IDS`; default all. Required steps are added back. */
  steps?: readonly StepId[];
  /** Narrows the session's accepted documents (never widens them). */
  acceptedDocuments?: readonly coreDocument.DocumentType[];
  thresholds?: FlowThresholds;
  /** Where `models/` and `wasm/` are served (`npm run assets`), e.g. `/ekyc/`. */
  assetBaseUrl: string;
  /** `auto` (default), `webgpu` or `wasm` for every worker. */
  backend?: BackendPreference;
  consent: ConsentText;
  /** Initial capture mode of each capture step; default `camera`. `upload` skips the camera entirely. */
  capture?: CaptureMode;
  /**
   * Page the phone opens for a handoff; the single-use token is appended as the URL fragment
   * `#ekyc-handoff=<token>` (a fragment never reaches a server log). Default the current page.
   */
  handoffUrl?: string;
  /** How often the desktop polls the session status during a handoff and after submit; default 1000 ms. */
  statusPollMs?: number;
  /** Stop polling for a decision after this long and complete with `decision: null`; default 60 s. */
  decisionWaitMs?: number;
  /** Outbox database name (IndexedDB) for evidence delivery; default core's. */
  outboxName?: string;
  /** `sdkVersion` written into the evidence. */
  sdkVersion?: string;
}

// ---------------------------------------------------------------------------------------------
// State

export type FlowStatus = 'idle' | 'running' | 'complete' | 'cancelled' | 'failed' | 'disposed';

export interface ConsentRecord {
  textId: string;
  textVersion: string;
  textSha256: string;
  locale: string;
  scopes: readonly string[];
  grantedAt: string;
}

/** A side captured so far: its size and where it came from (pixels stay inside the flow). */
export interface CapturedSide {
  side: coreDocument.DocumentSide;
  source: CaptureMode;
  width: number;
  height: number;
  /** Camera only: the frames read after auto-capture until the MRZ was stable (or the budget ended), and how many were rejected before OCR. */
  frames?: DocumentFrameCounts;
}

/** The document fields read, for review. No field is ever logged or put in an event other than `review`. */
export interface ReviewData {
  documentType: coreDocument.DocumentType | null;
  format: MrzFormat | null;
  /** Every MRZ check digit passed, unambiguously. */
  valid: boolean;
  fields: Readonly<Partial<Record<ReviewField, string | null>>>;
  /** Fields the reader was unsure of: the UI should invite a check. */
  uncertain: readonly ReviewField[];
  /** Problems found by the document checks (core `document.checkDocument`), as error codes. */
  issues: readonly EkycErrorCode[];
  /** True when a portrait was found on the front (face match needs it). */
  portraitFound: boolean;
}

export type ReviewField = 'surname' | 'givenNames' | 'documentNumber' | 'nationality' | 'birthDate' | 'sex' | 'expiryDate' | 'issuingState' | 'documentCode';

/** The user's corrections at review: recorded in the evidence as the visual-zone reading (the MRZ is never edited). */
export type ReviewEdits = Partial<Record<'surname' | 'givenNames' | 'documentNumber' | 'birthDate' | 'expiryDate', string>>;

export interface LivenessSummary {
  /** `active`: challenges with the camera; `selfie`: one uploaded still (no liveness claim). */
  mode: 'active' | 'selfie';
  state: coreLiveness.LivenessState | 'skipped';
  challenges: readonly coreLiveness.ChallengeKind[];
  reason: coreLiveness.LivenessReason | null;
  /** Active mode: why the capture ended as it did (frame rates, gaps, each attempt's peak); numbers only, no pixels. */
  diagnostics?: LivenessDiagnostics;
}

export interface FaceMatchSummary {
  similarity: number;
  band: coreFace.MatchBand;
}

export type HandoffStatus = 'waiting' | 'opened' | 'received' | 'decided' | 'expired' | 'failed';

export interface HandoffInfo {
  /** The link to draw as a QR code. Single use; expires at `expiresAt`. */
  url: string;
  expiresAt: string;
  status: HandoffStatus;
}

export interface ResultSummary {
  sessionId: string;
  /** SHA-256 of the sealed bundle (its idempotency key); null when nothing was sealed (config session without key). */
  evidenceId: string | null;
  /** `delivered` acknowledged by the verifier, `queued` kept in the outbox for a later retry, `local` no verifier, `handoff` done on another device. */
  delivery: 'delivered' | 'queued' | 'local' | 'handoff';
  /** The verifier's decision once made (client token: no reason codes); null while pending or without a verifier. */
  decision: { outcome: 'approve' | 'review' | 'reject' | 'escalate'; decidedAt: string } | null;
  /** The verifier's generic line for the user (never names a signal). */
  userMessage: string | null;
  /** The sealed bundle when nothing delivered it (`local`: a config session with a `verifierKey`), for the caller to send; else null. */
  sealed: Uint8Array | null;
  /** What the device measured. Integrators' UIs must not show fraud-signal causes to the user. */
  local: {
    documentValid: boolean | null;
    faceMatch: FaceMatchSummary | null;
    liveness: LivenessSummary | null;
  };
}

export interface FlowState {
  status: FlowStatus;
  /** The step running now; null before `start()` and after the flow ended. */
  step: StepId | null;
  /** The steps this run will go through (`document-back` appears once it is known to be needed). */
  plan: readonly StepId[];
  completed: readonly StepId[];
  awaiting: Awaiting | null;
  /** Capture mode of the current capture step. */
  captureMode: CaptureMode;
  session: Pick<FlowSession, 'source' | 'sessionId' | 'expiresAt'> | null;
  consent: ConsentRecord | null;
  sides: readonly CapturedSide[];
  review: ReviewData | null;
  liveness: LivenessSummary | null;
  faceMatch: FaceMatchSummary | null;
  handoff: HandoffInfo | null;
  result: ResultSummary | null;
  error: FlowErrorDetail | null;
}

// ---------------------------------------------------------------------------------------------
// Events

/** `step`: a step began (`awaiting` says whether the UI has to act). */
export interface StepDetail {
  step: StepId;
  previous: StepId | null;
  /** Position in `plan` (0-based) and its length, for a progress indicator. */
  index: number;
  total: number;
  awaiting: Awaiting | null;
  captureMode: CaptureMode;
}

export type WorkerName = 'quality' | 'document' | 'face' | 'liveness';

/** One model or runtime file a step loads, with its size from the manifests. */
export interface AssetProgress {
  id: string;
  bytesTotal: number;
  /** Bytes received so far, as the worker reports them while it downloads; `bytesTotal` once the worker is ready. */
  bytesLoaded: number;
}

/** `progress`: models loading for a step, or work in progress. */
export type ProgressDetail =
  | {
    kind: 'model';
    step: StepId;
    worker: WorkerName;
    state: 'loading' | 'ready';
    assets: readonly AssetProgress[];
    bytesLoaded: number;
    bytesTotal: number;
  }
  | {
    kind: 'processing';
    step: StepId;
    /** What runs, e.g. `document.read`, `face.embed`, `evidence.seal`, `submit.upload`, `result.wait`. */
    task: string;
    /** Units done and total (e.g. images read, bytes sent); total null when unknown. */
    done: number;
    total: number | null;
  };

/** A face for the overlay, in frame pixels of the camera frame (unmirrored). */
export interface OverlayFace {
  box: { x: number; y: number; width: number; height: number };
  /** x, y pairs in frame pixels; empty when the pipeline gives none. */
  landmarks: readonly number[];
}

/** `guidance`: live feedback of a capture step, for the overlay and the ARIA live region. */
export type GuidanceDetail =
  | {
    source: 'quality';
    step: 'document-front' | 'document-back';
    /** Most important first; `good` when nothing is left to fix. */
    codes: readonly coreQuality.GuidanceCode[];
    /** The detected document corners (TL, TR, BR, BL), or null. */
    quad: coreQuality.Quad | null;
    frame: { width: number; height: number };
    /** Auto-capture countdown in good frames: `stable` of `needed`; capture fires when they meet. */
    countdown: { stable: number; needed: number };
    /** After auto-capture, while frames are read until the MRZ is stable: frames used, the most agreeing on one valid reading, and how many must. */
    reading?: { frames: number; agreeing: number; needed: number };
  }
  | {
    source: 'liveness';
    step: 'liveness';
    codes: readonly coreLiveness.GuidanceCode[];
    face: OverlayFace | null;
    frame: { width: number; height: number };
    challenge: coreLiveness.ChallengeProgress | null;
    state: coreLiveness.LivenessState;
  };

/** `camera`: a camera opened for a step or was released (stream null). Elements show `stream` in their own `<video>`. */
export interface CameraDetail {
  /** The step the camera opened for; a release names the same step as its opening. */
  step: StepId;
  stream: MediaStream | null;
  /** The camera asked for: `environment` (rear) at the document, `user` (front) at the selfie; a release names the camera released. */
  facingMode: 'user' | 'environment';
  settings: { width: number; height: number; frameRate: number | null } | null;
}

/** What the UI can offer after a recoverable error. */
export type RecoveryAction = 'retry' | 'upload' | 'handoff' | 'restart';

/** `error`: `recoverable` errors leave the flow waiting (`awaiting: 'error'`) on one of `actions`. */
export interface FlowErrorDetail {
  code: EkycErrorCode;
  /** For logs and developers; never shown to users (text comes from the code through i18n). */
  message: string;
  recoverable: boolean;
  step: StepId | null;
  actions: readonly RecoveryAction[];
}

/** `complete`: the flow reached its end. */
export type CompleteDetail = ResultSummary;

/** `cancel`: a running flow ended by `cancel()` (`user`), `dispose()` (`disposed`: the page tore the flow down), or consent declined. */
export interface CancelDetail {
  step: StepId | null;
  reason: 'user' | 'disposed' | 'consent_declined';
}

/** `handoff`: the cross-device link and its progress. */
export type HandoffDetail = HandoffInfo;

/** Every event the flow dispatches; each is a `CustomEvent` with this `detail`. */
export interface VerificationFlowEventMap {
  step: CustomEvent<StepDetail>;
  progress: CustomEvent<ProgressDetail>;
  guidance: CustomEvent<GuidanceDetail>;
  camera: CustomEvent<CameraDetail>;
  handoff: CustomEvent<HandoffDetail>;
  /** The fields read, when `document-review` begins (the only event holding document data). */
  review: CustomEvent<ReviewData>;
  complete: CustomEvent<CompleteDetail>;
  error: CustomEvent<FlowErrorDetail>;
  cancel: CustomEvent<CancelDetail>;
  /** Any change of `flow.state` (after every other event, and on actions). */
  state: CustomEvent<FlowState>;
}

export type VerificationFlowEventName = keyof VerificationFlowEventMap;

/**
 * The public surface of `VerificationFlow` (an `EventTarget`). Every action throws `invalid_argument`
 * synchronously when called in a state that does not wait for it (see `state.awaiting`).
 */
export interface VerificationFlowApi extends EventTarget {
  readonly state: FlowState;
  /** Runs the flow; resolves with the final state (complete, cancelled or failed), never rejects. */
  start(): Promise<FlowState>;
  /** Stops everything (camera, workers' current work, polling) and returns to `idle` with a fresh state; keeps loaded models. */
  reset(): void;
  /** Stops everything, dispatches `cancel` (`reason: 'user'`) and ends the run (`status: 'cancelled'`). */
  cancel(): void;
  /**
   * Stops a running flow as `cancel()` does, but its `cancel` event says `reason: 'disposed'`; then
   * terminates the workers. The flow cannot start again.
   */
  dispose(): void;
  grantConsent(locale?: string): void;
  declineConsent(): void;
  /**
   * The current capture step's images: one document side (or front and back at once at `document-front`), or a selfie at `liveness`.
   * Like every action it hands them over synchronously (the outcome comes as events) and throws `invalid_argument` at once
   * for no file, a value that is not a `Blob`, or a flow that does not wait for files.
   */
  useUpload(files: Blob | readonly Blob[]): void;
  /** Switches the current capture step to the camera (after an error, or from upload mode). */
  retryCamera(): void;
  /** Retries the current step after a recoverable error (e.g. a document not read: capture again). */
  retry(): void;
  /** Back from review to the document capture. */
  retake(): void;
  confirmReview(edits?: ReviewEdits): void;
  /** Asks the verifier for a single-use link for a phone; resolves with it and follows the session until decided. */
  startHandoff(): Promise<HandoffInfo>;
  /**
   * While following a handoff (`awaiting: 'handoff'`): stops following and goes back to the step
   * where the handoff was asked for (consent, a capture step or its error screen). A link no phone
   * opened yet is revoked at the verifier; one already opened is not (docs/flow.md).
   */
  cancelHandoff(): void;
}
