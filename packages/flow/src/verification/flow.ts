/**
 * `VerificationFlow`: the whole verification as one state machine shared by the elements and npm
 * users. It runs the steps of `types.ts` in order, waits for the user where a step needs them
 * (`state.awaiting`), and dispatches typed events; it holds no view state. Every I/O boundary
 * (fetch, camera, workers, image codec, evidence delivery, clock) can be replaced through
 * `VerificationFlowDeps`, which is how the unit tests run it without a browser.
 *
 * Nothing is captured before consent: no camera opens and no worker loads until `grantConsent`.
 * A camera is stopped when its step ends, on `cancel()`, `reset()` and `dispose()`.
 */
import {
  EkycError, EventChain,
  type ArtifactInput, type EvidenceCheck, type document as coreDocument, type liveness as coreLiveness, type EvidenceEnvironment, type EvidenceLiveness, type RgbaImage, type SessionSigner, type quality,
} from '@ekyc/core';
import type { DocumentRead, FaceClient, MrzSummary, RuntimeReport } from '@ekyc/workers';
import type { Camera, OpenCameraOptions } from '../capture/camera.ts';
import type { DocumentCapture } from '../capture/document-capture.ts';
import type { FrameAnalyzer, FrameVoteProgress, NextFrame, VotedDocument } from '../capture/document-reading.ts';
import type { EvidenceDelivery, SubmitResult } from '../transport/delivery.ts';
import { handoffLink } from '../handoff/handoff-link.ts';
import type { LivenessCapture, LivenessCaptureOptions, LivenessOutcome } from '../liveness/index.ts';
import { ActionInbox, type ActionType, type FlowAction, type PendingAction } from './actions.ts';
import { consentRecord } from './consent.ts';
import type { ReadSide } from './document.ts';
import type { ImageCodec } from './images.ts';
import { planSteps, withBack } from './plan.ts';
import { resolveSession, type ResolvedSession } from './session.ts';
import type {
  Awaiting, CameraDetail, CaptureMode, FlowErrorDetail, FlowState, GuidanceDetail, HandoffInfo, ProgressDetail,
  RecoveryAction, ResultSummary, ReviewEdits, StepId, VerificationFlowApi, VerificationFlowEventMap, VerificationFlowOptions,
} from './types.ts';
import { WorkerPool, defaultWorkerFactory, type WorkerFactory } from './workers.ts';

/** The code of the steps after consent (./runtime.ts), loaded once consent is granted. */
type FlowRuntime = typeof import('./runtime.ts');

/** The I/O boundaries of a run; every one defaults to the browser's. */
export interface VerificationFlowDeps {
  fetch?: typeof globalThis.fetch;
  openCamera?: (options: OpenCameraOptions) => Promise<Camera>;
  workers?: WorkerFactory;
  images?: ImageCodec;
  /** Delivery of the sealed bundle (outbox + HTTP sink by default). */
  delivery?: (endpoint: string, clientToken: string) => Promise<Pick<EvidenceDelivery, 'submit'>>;
  /** The document capture on a playing video (core `DocumentCapture` by default). */
  documentCapture?: (options: ConstructorParameters<typeof DocumentCapture>[0]) => Pick<DocumentCapture, 'captured' | 'stop' | 'addEventListener'>;
  /** The camera frames read after auto-capture until the MRZ is stable (`cameraFrames` by default). */
  documentFrames?: (options: { video: HTMLVideoElement; quality: FrameAnalyzer }) => NextFrame;
  /** The liveness capture on a playing front-camera video (`LivenessCapture` by default). */
  livenessCapture?: (options: LivenessCaptureOptions) => Pick<LivenessCapture, 'result' | 'stop' | 'addEventListener'>;
  signer?: () => Promise<SessionSigner>;
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const SDK_VERSION = '0.1.0';
/** Longest side of evidence images: the verifier's face models work on far less, and bundles stay under a few MB. */
const EVIDENCE_MAX_SIDE = 1600;

class HandoffRequested extends Error {
  constructor(readonly reply: Extract<FlowAction, { type: 'handoff' }>['reply']) {
    super('handoff requested');
  }
}

const abortError = (): DOMException => new DOMException('The flow was stopped', 'AbortError');

function sleepAbortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function asEkycError(error: unknown): EkycError {
  if (error instanceof EkycError) return error;
  return new EkycError('invalid_argument', 'Unexpected failure in the flow', { cause: error, recoverable: true, details: { cause: error instanceof Error ? error.name : typeof error } });
}

function freshState(captureMode: CaptureMode): FlowState {
  return {
    status: 'idle', step: null, plan: [], completed: [], awaiting: null, captureMode,
    session: null, consent: null, sides: [], review: null, liveness: null, faceMatch: null, handoff: null, result: null, error: null,
  };
}

interface Selfie {
  image: RgbaImage<Uint8ClampedArray>;
  source: CaptureMode;
  capturedAt: string;
  outcome: LivenessOutcome | null;
}

/** Everything one run gathered; dropped on reset. */
interface RunData {
  resolved: ResolvedSession | null;
  events: EventChain | null;
  startedAt: Date;
  sides: ReadSide[];
  front: ReadSide | null;
  back: ReadSide | null;
  mrz: MrzSummary | null;
  portrait: RgbaImage<Uint8ClampedArray> | null;
  edits: ReviewEdits | null;
  selfie: Selfie | null;
  camera: EvidenceEnvironment['camera'];
  /** The document steps (capture, read, review) finished; a cancelled handoff does not repeat them. */
  documentsDone: boolean;
}

export class VerificationFlow extends EventTarget implements VerificationFlowApi {
  readonly #options: VerificationFlowOptions;
  readonly #deps: Required<Omit<VerificationFlowDeps, 'workers'>>;
  readonly #pool: WorkerPool;
  readonly #inbox = new ActionInbox();
  #state: FlowState;
  #run: AbortController | null = null;
  #camera: Camera | null = null;
  #data: RunData;
  #runtime: RuntimeReport | null = null;
  #disposed = false;
  #runtimeModule: FlowRuntime | null = null;

  constructor(options: VerificationFlowOptions, deps: VerificationFlowDeps = {}) {
    super();
    if (!options || typeof options !== 'object') throw new EkycError('invalid_argument', 'VerificationFlow needs options.');
    if (!options.consent || Object.values(options.consent.text ?? {}).every((text) => typeof text !== 'string' || text.trim() === '')) {
      throw new EkycError('invalid_argument', 'options.consent needs the text shown, in at least one locale.');
    }
    if (typeof options.assetBaseUrl !== 'string') throw new EkycError('invalid_argument', 'options.assetBaseUrl is required.');
    // Validates `steps` now, not at start().
    planSteps(options.steps, !('config' in options.session));
    this.#options = options;
    const fetchImpl = deps.fetch ?? globalThis.fetch.bind(globalThis);
    this.#deps = {
      fetch: fetchImpl,
      openCamera: deps.openCamera ?? ((o) => this.#rt.openCamera(o)),
      images: deps.images ?? { decode: (blob) => this.#rt.decodeUpload(blob), encodeJpeg: (image) => this.#rt.encodeJpeg(image) },
      delivery: deps.delivery ?? (async (endpoint, token) => new this.#rt.EvidenceDelivery({
        outbox: await this.#rt.EvidenceOutbox.open(options.outboxName),
        sink: new this.#rt.HttpSink({ endpoint, headers: { authorization: `Bearer ${token}` }, fetch: fetchImpl }),
      })),
      documentCapture: deps.documentCapture ?? ((o) => new this.#rt.DocumentCapture(o)),
      documentFrames: deps.documentFrames ?? ((o) => this.#rt.cameraFrames(o.video, o.quality)),
      livenessCapture: deps.livenessCapture ?? ((o) => new this.#rt.LivenessCapture(o)),
      signer: deps.signer ?? (() => this.#rt.createSessionSigner()),
      now: deps.now ?? (() => new Date()),
      sleep: deps.sleep ?? sleepAbortable,
    };
    this.#pool = new WorkerPool(deps.workers ?? defaultWorkerFactory(options.assetBaseUrl, options.backend), (detail) => this.#progress(detail));
    this.#state = freshState(options.capture ?? 'camera');
    this.#data = this.#freshData();
  }

  /** The post-consent code; loaded by `#loadRuntime()` once consent is granted. */
  get #rt(): FlowRuntime {
    if (this.#runtimeModule === null) throw new Error('The flow steps after consent were used before they were loaded.');
    return this.#runtimeModule;
  }

  async #loadRuntime(): Promise<void> {
    try {
      this.#runtimeModule ??= await import('./runtime.ts');
    } catch (error) {
      // A chunk of the SDK's own JS that did not arrive (network, or a page served from an older build).
      throw new EkycError('asset_fetch_failed', 'The flow code for the steps after consent could not be loaded.', { cause: error, recoverable: true, details: { module: 'verification/runtime' } });
    }
  }

  get state(): FlowState {
    return this.#state;
  }

  override addEventListener<K extends keyof VerificationFlowEventMap>(type: K, listener: ((event: VerificationFlowEventMap[K]) => void) | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof VerificationFlowEventMap>(type: K, listener: ((event: VerificationFlowEventMap[K]) => void) | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  start(): Promise<FlowState> {
    if (this.#disposed) throw new EkycError('invalid_argument', 'The flow was disposed.');
    if (this.#state.status === 'running') throw new EkycError('invalid_argument', 'The flow is already running.');
    const run = new AbortController();
    this.#run = run;
    this.#data = this.#freshData();
    const plan = planSteps(this.#options.steps, !('config' in this.#options.session));
    this.#state = { ...freshState(this.#options.capture ?? 'camera'), status: 'running', plan };
    this.#emitState();
    return this.#runAll(run.signal).then(() => this.#state);
  }

  reset(): void {
    this.#stopRun();
    this.#data = this.#freshData();
    this.#state = freshState(this.#options.capture ?? 'camera');
    if (!this.#disposed) this.#emitState();
  }

  cancel(): void {
    if (this.#state.status !== 'running') return;
    const step = this.#state.step;
    this.#stopRun();
    this.#set({ status: 'cancelled', awaiting: null });
    this.#dispatch('cancel', { step, reason: 'user' });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.cancel();
    this.#stopRun();
    this.#pool.terminateAll();
    this.#disposed = true;
    this.#set({ status: 'disposed', awaiting: null });
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  grantConsent(locale?: string): void {
    this.#inbox.deliver({ type: 'consent', locale: locale ?? this.#locale() });
  }

  declineConsent(): void {
    this.#inbox.deliver({ type: 'decline' });
  }

  async useUpload(files: Blob | readonly Blob[]): Promise<void> {
    const list = (Array.isArray(files) ? files : [files]) as readonly Blob[];
    if (list.length === 0 || !list.every((file) => typeof Blob !== 'undefined' && file instanceof Blob)) {
      throw new EkycError('invalid_argument', 'useUpload takes one or more files (Blob).');
    }
    this.#inbox.deliver({ type: 'upload', files: list });
  }

  retryCamera(): void {
    this.#inbox.deliver({ type: 'camera' });
  }

  retry(): void {
    this.#inbox.deliver({ type: 'retry' });
  }

  retake(): void {
    this.#inbox.deliver({ type: 'retake' });
  }

  confirmReview(edits?: ReviewEdits): void {
    this.#inbox.deliver({ type: 'review', edits: edits ?? null });
  }

  cancelHandoff(): void {
    this.#inbox.deliver({ type: 'handoff-cancel' });
  }

  startHandoff(): Promise<HandoffInfo> {
    if (!this.#canHandoff()) {
      return Promise.reject(new EkycError('invalid_argument', 'A handoff needs a running verifier session (not one that came from a handoff) before evidence is built.'));
    }
    return new Promise<HandoffInfo>((resolve, reject) => {
      this.#inbox.deliver({ type: 'handoff', reply: { resolve, reject } });
    });
  }

  // -------------------------------------------------------------------------------------------
  // The run

  async #runAll(signal: AbortSignal): Promise<void> {
    try {
      await this.#stepSession(signal);
      for (;;) {
        try {
          // After a cancelled handoff the run goes back to the step the user left, steps done stay done.
          if (this.#state.consent === null) await this.#stepConsent(signal);
          await this.#loadRuntime();
          if (this.#planned('document-front') && !this.#data.documentsDone) await this.#documentSteps(signal);
          if (this.#planned('liveness') && !this.#state.completed.includes('liveness')) await this.#stepLiveness(signal);
          break;
        } catch (error) {
          if (!(error instanceof HandoffRequested)) throw error;
          if (await this.#followHandoff(error.reply, signal) === 'completed') return;
        }
      }
      if (this.#planned('face-match')) await this.#stepFaceMatch(signal);
      const sealed = await this.#stepEvidence(signal);
      const delivered = this.#planned('submit') ? await this.#stepSubmit(sealed.sealed!, signal) : null;
      await this.#finish({
        sessionId: this.#data.resolved!.session.sessionId,
        evidenceId: sealed.evidenceId,
        delivery: delivered === null ? 'local' : delivered.delivered ? 'delivered' : 'queued',
        sealed: delivered === null ? sealed.sealed : null,
        ...(delivered === null || !delivered.delivered ? { decision: null, userMessage: null } : await this.#awaitDecision(signal)),
      }, signal);
    } catch (error) {
      if (signal.aborted) return;
      this.#fail(asEkycError(error));
    } finally {
      this.#releaseCamera();
      this.#inbox.clear();
    }
  }

  async #stepSession(signal: AbortSignal): Promise<void> {
    this.#enter('session', null);
    for (;;) {
      try {
        const resolved = await resolveSession(this.#options.session, this.#deps.fetch, signal);
        this.#data.resolved = resolved;
        this.#data.startedAt = this.#deps.now();
        const accepted = this.#options.acceptedDocuments;
        if (accepted) resolved.session.config = { ...resolved.session.config, acceptedDocuments: resolved.session.config.acceptedDocuments.filter((type) => accepted.includes(type)) };
        this.#data.events = new EventChain(resolved.session.sessionId, resolved.session.nonce, this.#deps.now);
        void this.#data.events.append('session.started', { source: resolved.session.source });
        this.#set({ session: { source: resolved.session.source, sessionId: resolved.session.sessionId, expiresAt: resolved.session.expiresAt } });
        this.#complete('session');
        return;
      } catch (error) {
        const coded = asEkycError(error);
        if (signal.aborted || !coded.recoverable) throw error;
        await this.#recover(coded, 'session', ['retry'], signal);
      }
    }
  }

  async #stepConsent(signal: AbortSignal): Promise<void> {
    this.#enter('consent', 'consent');
    const action = await this.#wait(['consent', 'decline', ...this.#handoffType()], signal);
    if (action.type === 'decline') {
      void this.#data.events?.append('consent.declined', {});
      this.#stopRun();
      this.#set({ status: 'cancelled', awaiting: null });
      this.#dispatch('cancel', { step: 'consent', reason: 'consent_declined' });
      throw abortError();
    }
    const consent = await consentRecord(this.#options.consent, (action as Extract<FlowAction, { type: 'consent' }>).locale, this.#deps.now());
    await this.#data.events!.append('consent.granted', { textId: consent.textId, textVersion: consent.textVersion, locale: consent.locale });
    this.#set({ consent });
    this.#complete('consent');
  }

  async #documentSteps(signal: AbortSignal): Promise<void> {
    const config = this.#data.resolved!.session.config;
    for (;;) {
      this.#data.sides = [];
      this.#set({ sides: [], review: null });
      const front = await this.#captureSide('document-front', signal);
      await this.#readPrintedFields(front, config.acceptedDocuments);
      this.#data.sides.push(...front);
      this.#complete('document-front');
      let decision = this.#rt.decideSides(this.#data.sides, config.acceptedDocuments);
      if (decision.kind === 'need_other_side' && this.#data.sides.length === 1) {
        this.#set({ plan: withBack(this.#state.plan) });
        const back = await this.#captureSide('document-back', signal);
        this.#data.sides.push(...back);
        this.#complete('document-back');
        decision = this.#rt.decideSides(this.#data.sides, config.acceptedDocuments);
      }
      if (decision.kind === 'not_read') {
        const action = await this.#recover(new EkycError(decision.code, 'No machine-readable zone was found on the document images.'), 'document-front', ['retry', 'upload'], signal);
        if (action.type === 'upload') this.#set({ captureMode: 'upload' });
        continue;
      }
      await this.#stepRead(signal);
      if (!this.#planned('document-review')) {
        this.#data.documentsDone = true;
        return;
      }
      this.#enter('document-review', 'review');
      this.#dispatch('review', this.#state.review!);
      const action = await this.#wait(['review', 'retake'], signal);
      if (action.type === 'retake') {
        void this.#data.events!.append('review.retake', {});
        continue;
      }
      const edits = (action as Extract<FlowAction, { type: 'review' }>).edits;
      this.#data.edits = edits;
      await this.#data.events!.append('review.confirmed', { edited: Object.keys(edits ?? {}).sort().join(',') });
      this.#complete('document-review');
      this.#data.documentsDone = true;
      return;
    }
  }

  /**
   * A side with no MRZ may be a driving licence (no MRZ by design): when the session accepts licences its
   * rectified image is read again with the visual zone. A recoverable failure keeps the MRZ-less read,
   * which `decideSides` then reports as not read.
   */
  async #readPrintedFields(sides: ReadSide[], accepted: readonly coreDocument.DocumentType[]): Promise<void> {
    for (const side of sides) {
      if (!side.rectified || !this.#rt.needsVisualZone(side.read, accepted)) continue;
      try {
        const document = await this.#pool.get('document', 'document-front');
        side.read = await document.read(this.#rt.copyImage(side.rectified), { visualZone: true });
      } catch (error) {
        if (!asEkycError(error).recoverable) throw error;
      }
    }
  }

  /** One side: camera with auto-capture, or uploaded files (several at once at the front), each read by the document worker. */
  async #captureSide(step: 'document-front' | 'document-back', signal: AbortSignal): Promise<ReadSide[]> {
    for (;;) {
      const mode = this.#state.captureMode;
      this.#enter(step, mode === 'camera' ? 'capture' : 'upload');
      this.#pool.preload('document', step);
      const uploadTypes: ActionType[] = mode === 'camera' ? ['upload'] : ['upload', 'camera'];
      let images: Array<{ image: RgbaImage<Uint8ClampedArray>; quad: quality.Quad | null; source: CaptureMode }> = [];
      let voted: VotedDocument | null = null;
      try {
        const pendingFiles = this.#takePendingUpload();
        if (pendingFiles) {
          images = await this.#decodeAll(pendingFiles, step);
        } else if (mode === 'camera') {
          const captured = await this.#cameraDocument(step, signal);
          if (captured.kind === 'action') {
            if (captured.action.type === 'upload') images = await this.#decodeAll((captured.action as Extract<FlowAction, { type: 'upload' }>).files, step);
            else continue;
          } else voted = captured.voted;
        } else {
          const action = await this.#wait([...uploadTypes, ...this.#handoffType()], signal);
          if (action.type === 'camera') {
            this.#set({ captureMode: 'camera' });
            continue;
          }
          images = await this.#decodeAll((action as Extract<FlowAction, { type: 'upload' }>).files, step);
        }
        if (step === 'document-back') images = images.slice(0, 1);
        const read: ReadSide[] = voted ? [this.#rt.cameraReadSide(voted, this.#data.sides.length, this.#deps.now().toISOString())] : [];
        const document = await this.#pool.get('document', step);
        for (const [index, entry] of images.entries()) {
          this.#progress({ kind: 'processing', step, task: 'document.read', done: index, total: images.length });
          const capturedAt = this.#deps.now().toISOString();
          const { width, height } = entry.image;
          const result: DocumentRead = await document.read(this.#rt.copyImage(entry.image), { quad: entry.quad ?? null, includeRectified: true });
          read.push({ index: this.#data.sides.length + index, source: entry.source, capturedAt, width, height, read: result, rectified: result.rectified ?? null, quad: entry.quad ?? null });
          if (index === images.length - 1) this.#progress({ kind: 'processing', step, task: 'document.read', done: images.length, total: images.length });
        }
        for (const side of read) await this.#data.events!.append('document.captured', this.#rt.capturedEventData(step, side));
        this.#set({ sides: [...this.#state.sides, ...read.map((side, i) => ({ side: (step === 'document-back' || i > 0 ? 'back' : 'front') as 'front' | 'back', source: side.source, width: side.width, height: side.height, ...(side.frames ? { frames: side.frames } : {}) }))] });
        return read;
      } catch (error) {
        if (error instanceof HandoffRequested || signal.aborted) throw error;
        const coded = asEkycError(error);
        if (!coded.recoverable) throw coded;
        const action = await this.#recover(coded, step, this.#cameraActions(coded, step), signal);
        this.#applyRecovery(action);
        if (action.type === 'upload' && (action as Extract<FlowAction, { type: 'upload' }>).files.length > 0) {
          // Files given with the recovery itself: handled on the next turn as an upload.
          this.#pendingUpload = (action as Extract<FlowAction, { type: 'upload' }>).files;
        }
      }
    }
  }

  /** Files handed over with a recovery action (useUpload while an error waits), used by the step's next turn. */
  #pendingUpload: readonly Blob[] | null = null;

  #takePendingUpload(): readonly Blob[] | null {
    const files = this.#pendingUpload;
    this.#pendingUpload = null;
    return files;
  }

  async #decodeAll(files: readonly Blob[], step: StepId): Promise<Array<{ image: RgbaImage<Uint8ClampedArray>; quad: null; source: CaptureMode }>> {
    const images = [];
    for (const [index, file] of files.entries()) {
      this.#progress({ kind: 'processing', step, task: 'upload.decode', done: index, total: files.length });
      images.push({ image: await this.#deps.images.decode(file), quad: null, source: 'upload' as const });
    }
    return images;
  }

  /** Camera + quality worker until auto-capture, then frames read until the MRZ is stable (capture/document-reading.ts), or an action (upload, handoff) first; the camera is released at once. */
  async #cameraDocument(step: 'document-front' | 'document-back', signal: AbortSignal): Promise<{ kind: 'read'; voted: VotedDocument } | { kind: 'action'; action: FlowAction }> {
    // The upload button shows while the camera is still opening (getUserMedia can take seconds, or
    // wait on a permission prompt): the flow listens for it from the start, so a file chosen then is
    // taken, not refused as an action nobody waits for.
    const pending = this.#inbox.wait(['upload', ...this.#handoffType()], signal);
    try {
      const opening = this.#openCamera(step, 'environment', signal);
      const opened = await this.#raceAction(opening, pending);
      if ('action' in opened) {
        // The camera may open after the action: stop it then, so no track stays live.
        opening.then((late) => (this.#camera === late ? this.#releaseCamera() : late.stop()), () => undefined);
        return this.#actionOrHandoff(opened.action);
      }
      const camera = opened.value;
      const quality = await this.#raceAction(this.#pool.get('quality', step), pending);
      if ('action' in quality) return this.#actionOrHandoff(quality.action);
      const thresholds = await quality.value.configure(this.#options.thresholds?.quality ?? {});
      const capture = this.#deps.documentCapture({ video: camera.video, quality: quality.value, signal });
      capture.addEventListener('assessment', (event) => {
        const detail: GuidanceDetail = { source: 'quality', step, ...this.#rt.qualityGuidance(event.assessment, thresholds.stableFramesToCapture) };
        this.#dispatch('guidance', detail);
      });
      const outcome = await this.#raceAction(capture.captured, pending).finally(() => capture.stop());
      if ('action' in outcome) return this.#actionOrHandoff(outcome.action);
      const document = await this.#raceAction(this.#pool.get('document', step), pending);
      if ('action' in document) return this.#actionOrHandoff(document.action);
      this.#progress({ kind: 'processing', step, task: 'document.read', done: 0, total: 1 });
      const onFrame = (progress: FrameVoteProgress): void => void this.#rt.readingGuidance(step, progress, thresholds.stableFramesToCapture, (detail) => this.#dispatch('guidance', detail));
      const reading = this.#rt.startReading({
        reader: document.value, first: this.#rt.capturedFrame(outcome.value), next: this.#deps.documentFrames({ video: camera.video, quality: quality.value }),
        readOptions: { includeRectified: true }, signal, onFrame,
      }, { now: () => this.#deps.now().getTime() });
      const voted = await this.#raceAction(reading.result, pending).finally(() => reading.stop());
      if ('action' in voted) return this.#actionOrHandoff(voted.action);
      this.#progress({ kind: 'processing', step, task: 'document.read', done: 1, total: 1 });
      return { kind: 'read', voted: voted.value };
    } finally {
      pending.cancel();
      this.#releaseCamera();
    }
  }

  #actionOrHandoff(action: FlowAction): { kind: 'action'; action: FlowAction } {
    if (action.type === 'handoff') throw new HandoffRequested(action.reply);
    return { kind: 'action', action };
  }

  async #raceAction<T>(work: Promise<T>, pending: { promise: Promise<FlowAction> }): Promise<{ value: T } | { action: FlowAction }> {
    return Promise.race([work.then((value) => ({ value })), pending.promise.then((action) => ({ action }))]);
  }

  async #stepRead(signal: AbortSignal): Promise<void> {
    this.#enter('document-read', null);
    const config = this.#data.resolved!.session.config;
    for (;;) {
      try {
        const face = await this.#pool.get('face', 'document-read');
        this.#progress({ kind: 'processing', step: 'document-read', task: 'document.portrait', done: 0, total: 1 });
        const faces: number[] = [];
        let portrait: RgbaImage<Uint8ClampedArray> | null = null;
        for (const side of this.#data.sides) {
          if (!side.rectified) {
            faces.push(0);
            continue;
          }
          const found = await face.detect(this.#rt.copyImage(side.rectified));
          faces.push(found.length);
        }
        const { front, back, mrzSide } = this.#rt.assignReadSides(this.#data.sides, faces);
        if (front?.rectified) {
          // findPortrait only calls `detect`, which the flow's face worker has.
          const found = await this.#rt.DocumentClient.findPortrait(face as Pick<FaceClient, 'detect'> as FaceClient, front.rectified);
          portrait = found.crop;
        }
        this.#progress({ kind: 'processing', step: 'document-read', task: 'document.portrait', done: 1, total: 1 });
        this.#data.front = front;
        this.#data.back = back && back !== front ? back : null;
        this.#data.mrz = mrzSide?.read.mrz ?? null;
        this.#data.portrait = portrait;
        const policy = { acceptedDocuments: config.acceptedDocuments, acceptedCountries: config.acceptedCountries, minimumAge: config.thresholds.minimumAge, referenceDate: this.#deps.now() };
        // No MRZ and numbered printed fields: a driving licence, reviewed from its visual zone.
        const licence = mrzSide === null && front !== null && this.#rt.isLicenceRead(front.read) ? this.#rt.licenceReviewData(front.read, { crop: portrait }, policy) : null;
        const review = licence ? (({ checked: _, ...data }) => data)(licence) : this.#rt.reviewData(this.#data.mrz, { crop: portrait }, policy);
        await this.#data.events!.append('document.read', { valid: review.valid, format: review.format, portrait: review.portraitFound, issues: review.issues.join(',') });
        this.#set({ review });
        this.#complete('document-read');
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        const coded = asEkycError(error);
        if (!coded.recoverable) throw coded;
        await this.#recover(coded, 'document-read', ['retry'], signal);
      }
    }
  }

  async #stepLiveness(signal: AbortSignal): Promise<void> {
    for (;;) {
      const mode = this.#state.captureMode;
      this.#enter('liveness', mode === 'camera' ? 'capture' : 'upload');
      this.#pool.preload('face', 'liveness');
      try {
        let selfie: Selfie;
        const pendingFiles = this.#takePendingUpload();
        if (pendingFiles) {
          selfie = await this.#uploadedSelfie(pendingFiles);
        } else if (mode === 'camera') {
          const live = await this.#cameraLiveness(signal);
          if (live.kind === 'action') {
            if (live.action.type !== 'upload') continue;
            selfie = await this.#uploadedSelfie((live.action as Extract<FlowAction, { type: 'upload' }>).files);
          } else {
            selfie = live.selfie;
          }
        } else {
          const action = await this.#wait(['upload', 'camera', ...this.#handoffType()], signal);
          if (action.type === 'camera') {
            this.#set({ captureMode: 'camera' });
            continue;
          }
          selfie = await this.#uploadedSelfie((action as Extract<FlowAction, { type: 'upload' }>).files);
        }
        // The selfie must hold exactly one face before anything is built on it.
        const face = await this.#pool.get('face', 'liveness');
        await this.#rt.selfieEmbedding(face, selfie.image);
        this.#data.selfie = selfie;
        const outcome = selfie.outcome;
        const summary = outcome
          ? { mode: 'active' as const, state: outcome.state, challenges: outcome.transcript.sequence.order, reason: outcome.reason, ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}) }
          : { mode: 'selfie' as const, state: 'skipped' as const, challenges: [], reason: null };
        await this.#data.events!.append('liveness.completed', { mode: summary.mode, state: summary.state });
        this.#set({ liveness: summary });
        this.#complete('liveness');
        return;
      } catch (error) {
        if (error instanceof HandoffRequested || signal.aborted) throw error;
        const coded = asEkycError(error);
        if (!coded.recoverable) throw coded;
        const action = await this.#recover(coded, 'liveness', this.#cameraActions(coded, 'liveness'), signal);
        this.#applyRecovery(action);
        if (action.type === 'upload' && (action as Extract<FlowAction, { type: 'upload' }>).files.length > 0) this.#pendingUpload = (action as Extract<FlowAction, { type: 'upload' }>).files;
      }
    }
  }

  async #uploadedSelfie(files: readonly Blob[]): Promise<Selfie> {
    this.#progress({ kind: 'processing', step: 'liveness', task: 'upload.decode', done: 0, total: 1 });
    const image = await this.#deps.images.decode(files[0]!);
    this.#progress({ kind: 'processing', step: 'liveness', task: 'upload.decode', done: 1, total: 1 });
    return { image, source: 'upload', capturedAt: this.#deps.now().toISOString(), outcome: null };
  }

  async #cameraLiveness(signal: AbortSignal): Promise<{ kind: 'captured'; selfie: Selfie } | { kind: 'action'; action: FlowAction }> {
    const pending = this.#inbox.wait(['upload', ...this.#handoffType()], signal);
    try {
      // The workers load (and the tracker runs its first, slow inference) before the camera opens:
      // the light is on only while frames are judged, and the first frame is judged within a few
      // frames of the camera starting. Opening the camera first measured 2.3 s of load plus the
      // first inference with the camera running unjudged (e2e/flow.spec.ts, docs/liveness.md).
      const workers = await this.#raceAction(Promise.all([this.#pool.get('liveness', 'liveness'), this.#pool.get('face', 'liveness')]), pending);
      if ('action' in workers) return this.#actionOrHandoff(workers.action);
      const camera = await this.#openCamera('liveness', 'user', signal);
      const [tracker, face] = workers.value;
      const session = this.#data.resolved!.session;
      const capture = this.#deps.livenessCapture({
        video: camera.video, client: tracker, nonce: session.nonce, sessionId: session.sessionId,
        config: this.#rt.coreLiveness.livenessConfig({ challengeCount: session.config.livenessChallengeCount }),
        embedFace: this.#rt.faceEmbedderFrom(face), signal,
      });
      let challenge: coreLiveness.ChallengeProgress | null = null;
      let state: coreLiveness.LivenessState = 'waiting';
      capture.addEventListener('challenge', (event) => {
        const prompt = event.prompt;
        state = prompt.state === 'waiting' ? 'waiting' : 'active';
        challenge = prompt.kind === null ? null : { kind: prompt.kind, index: prompt.index, count: prompt.count, attempt: prompt.attempt, state: prompt.state === 'waiting' ? 'active' : prompt.state, progress: prompt.progress };
      });
      capture.addEventListener('track', (event) => {
        const track = event.track;
        const landmarks: number[] = [];
        if (track.landmarks) for (let i = 0; i + 1 < track.landmarks.length; i += 3) landmarks.push(track.landmarks[i]!, track.landmarks[i + 1]!);
        const box = track.box ? { x: track.box.x * track.frameWidth, y: track.box.y * track.frameHeight, width: track.box.width * track.frameWidth, height: track.box.height * track.frameHeight } : null;
        this.#dispatch('guidance', {
          source: 'liveness', step: 'liveness', codes: [...track.guidance], face: box ? { box, landmarks } : null,
          frame: { width: track.frameWidth, height: track.frameHeight }, challenge, state,
        });
      });
      try {
        const outcome = await this.#raceAction(capture.result, pending);
        if ('action' in outcome) return this.#actionOrHandoff(outcome.action);
        const neutral = outcome.value.keyframes.find((keyframe) => keyframe.role === 'neutral') ?? outcome.value.keyframes[0];
        if (!neutral) throw new EkycError('face_not_found', 'The liveness capture ended without a keyframe.');
        return { kind: 'captured', selfie: { image: this.#rt.copyImage(neutral.image), source: 'camera', capturedAt: this.#deps.now().toISOString(), outcome: outcome.value } };
      } finally {
        capture.stop();
      }
    } finally {
      pending.cancel();
      this.#releaseCamera();
    }
  }

  async #stepFaceMatch(signal: AbortSignal): Promise<void> {
    this.#enter('face-match', null);
    for (;;) {
      try {
        const face = await this.#pool.get('face', 'face-match');
        const selfie = this.#data.selfie!;
        const portrait = this.#data.portrait;
        this.#progress({ kind: 'processing', step: 'face-match', task: 'face.embed', done: 0, total: 2 });
        const a = portrait ? await this.#rt.embedMainFace(face, portrait) : null;
        this.#progress({ kind: 'processing', step: 'face-match', task: 'face.embed', done: 1, total: 2 });
        const b = await this.#rt.embedMainFace(face, selfie.image);
        this.#progress({ kind: 'processing', step: 'face-match', task: 'face.embed', done: 2, total: 2 });
        if (a && b) {
          const thresholds = this.#rt.matchThresholds(this.#data.resolved!.session.config.thresholds.faceMatch, this.#options.thresholds?.faceMatch);
          const match = this.#rt.coreFace.matchEmbeddings(a.embedding, b.embedding, thresholds);
          this.#set({ faceMatch: { similarity: match.similarity, band: match.band } });
          await this.#data.events!.append('face.matched', { band: match.band });
        } else {
          await this.#data.events!.append('face.matched', { band: 'none', portrait: a !== null, selfie: b !== null });
        }
        this.#complete('face-match');
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        const coded = asEkycError(error);
        if (!coded.recoverable) throw coded;
        await this.#recover(coded, 'face-match', ['retry'], signal);
      }
    }
  }

  async #stepEvidence(signal: AbortSignal): Promise<{ sealed: Uint8Array | null; evidenceId: string | null }> {
    this.#enter('evidence', null);
    const { resolved } = this.#data;
    const session = resolved!.session;
    const signer = await this.#deps.signer();
    // The key is bound before anything is signed with it; afterwards the session cannot move to another device.
    if (resolved!.api && resolved!.clientToken) await resolved!.api.bindKey(session.sessionId, resolved!.clientToken, signer.publicKeyJwk, signal);
    signal.throwIfAborted();
    const encode = async (id: string, kind: ArtifactInput['kind'], image: RgbaImage<Uint8ClampedArray>, capturedAt: string): Promise<ArtifactInput> => {
      const limited = this.#rt.limitSide(image, EVIDENCE_MAX_SIDE);
      return { id, kind, mediaType: 'image/jpeg', data: await this.#deps.images.encodeJpeg(limited), width: limited.width, height: limited.height, capturedAt };
    };
    const artifacts: ArtifactInput[] = [];
    const checks: EvidenceCheck[] = [];
    const { front, back, portrait, selfie, mrz } = this.#data;
    const total = 4;
    let done = 0;
    const tick = (): void => this.#progress({ kind: 'processing', step: 'evidence', task: 'evidence.images', done: ++done, total });
    if (front?.rectified) artifacts.push(await encode('document-front', 'document_crop', front.rectified, front.capturedAt));
    tick();
    if (back?.rectified) artifacts.push(await encode('document-back', 'document_back', back.rectified, back.capturedAt));
    tick();
    if (portrait) artifacts.push(await encode('portrait', 'portrait', portrait, front!.capturedAt));
    tick();
    if (selfie) artifacts.push(await encode('selfie', 'face_crop', selfie.image, selfie.capturedAt));
    tick();
    const documentRead = this.#rt.documentReadArtifact(mrz, this.#data.edits);
    const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    if (documentRead) artifacts.push({ id: 'document-read', kind: 'other', mediaType: 'application/json', data: json(documentRead), capturedAt: (front ?? back)!.capturedAt });
    // Where the document lay in each captured image (docs/auditor.md draws it); nothing routes on it.
    for (const [side, id] of [[front, 'document-front'], [back, 'document-back']] as const) {
      const geometry = side && artifacts.some((artifact) => artifact.id === id) ? this.#rt.documentGeometryArtifact(side, id, this.#state.review?.documentType ?? null) : null;
      if (geometry) artifacts.push({ id: `${id}-geometry`, kind: 'other', mediaType: 'application/json', data: json(geometry), capturedAt: side!.capturedAt });
    }
    if (this.#state.review) checks.push(...this.#rt.documentChecks(this.#state.review, mrz, documentRead !== null, this.#data.sides.find((side) => side.read.mrz === mrz)?.frames));
    const faceMatch = this.#state.faceMatch;
    if (this.#planned('face-match')) {
      const thresholds = this.#rt.matchThresholds(session.config.thresholds.faceMatch, this.#options.thresholds?.faceMatch);
      checks.push({
        // `pass` means approve, as the verifier reads it (a review band is inconclusive, not a pass).
        id: 'face-match', kind: 'face.match', status: faceMatch === null || faceMatch.band === 'review' ? 'inconclusive' : faceMatch.band === 'approve' ? 'pass' : 'fail',
        score: faceMatch?.similarity ?? null, threshold: thresholds.approve, errorCode: null,
        artifactIds: artifacts.filter((a) => a.id === 'portrait' || a.id === 'selfie').map((a) => a.id), details: { band: faceMatch?.band ?? 'none' },
      });
    }
    let liveness: EvidenceLiveness | null = null;
    if (selfie?.outcome) {
      const evidence = await this.#rt.livenessEvidenceOf(selfie.outcome);
      liveness = evidence.liveness;
      artifacts.push(...evidence.artifacts);
      // The verifier replays the transcript from an `other` JSON artifact (docs/verifier.md, What the server reads).
      artifacts.push({ id: 'liveness-transcript', kind: 'other', mediaType: 'application/json', data: json(selfie.outcome.transcript), capturedAt: selfie.capturedAt });
      checks.push({ id: 'liveness', kind: 'liveness.active', status: selfie.outcome.state === 'passed' ? 'pass' : 'fail', score: null, threshold: null, errorCode: null, artifactIds: evidence.artifacts.map((a) => a.id), details: { state: selfie.outcome.state } });
    }
    await this.#data.events!.append('evidence.built', { artifacts: artifacts.length, checks: checks.length });
    this.#progress({ kind: 'processing', step: 'evidence', task: 'evidence.seal', done: 0, total: 1 });
    const result = await this.#rt.sealRun({
      sdkVersion: this.#options.sdkVersion ?? SDK_VERSION, session, startedAt: this.#data.startedAt, completedAt: this.#deps.now(),
      consent: { ...this.#state.consent!, scopes: [...this.#state.consent!.scopes] }, artifacts, checks, liveness, runtime: this.#runtime ?? null, camera: this.#data.camera, events: this.#data.events!,
    }, signer);
    this.#progress({ kind: 'processing', step: 'evidence', task: 'evidence.seal', done: 1, total: 1 });
    this.#complete('evidence');
    return { sealed: result.sealed, evidenceId: result.evidenceId };
  }

  async #stepSubmit(sealed: Uint8Array, signal: AbortSignal): Promise<SubmitResult> {
    this.#enter('submit', null);
    const { api, clientToken, session } = this.#data.resolved!;
    const delivery = await this.#deps.delivery(api!.evidenceEndpoint(session.sessionId), clientToken!);
    signal.throwIfAborted();
    this.#progress({ kind: 'processing', step: 'submit', task: 'submit.upload', done: 0, total: sealed.byteLength });
    const result = await delivery.submit(sealed);
    this.#progress({ kind: 'processing', step: 'submit', task: 'submit.upload', done: result.delivered ? sealed.byteLength : 0, total: sealed.byteLength });
    this.#complete('submit');
    return result;
  }

  /** Polls the session status until the verifier decided, or `decisionWaitMs` passed (then the decision is null: pending). */
  async #awaitDecision(signal: AbortSignal): Promise<Pick<ResultSummary, 'decision' | 'userMessage'>> {
    const { api, clientToken, session } = this.#data.resolved!;
    const waitMs = this.#options.decisionWaitMs ?? 60_000;
    const pollMs = this.#options.statusPollMs ?? 1000;
    const until = this.#deps.now().getTime() + waitMs;
    let polls = 0;
    for (;;) {
      const status = await api!.status(session.sessionId, clientToken!, signal);
      this.#progress({ kind: 'processing', step: 'submit', task: 'result.wait', done: ++polls, total: null });
      if (status.status === 'decided' && status.decision) return { decision: { outcome: status.decision.outcome, decidedAt: status.decision.decidedAt }, userMessage: status.userMessage };
      if (this.#deps.now().getTime() + pollMs > until) return { decision: null, userMessage: status.userMessage };
      await this.#deps.sleep(pollMs, signal);
    }
  }

  async #finish(summary: Omit<ResultSummary, 'local'>, _signal: AbortSignal): Promise<void> {
    const result: ResultSummary = {
      ...summary,
      local: { documentValid: this.#state.review?.valid ?? null, faceMatch: this.#state.faceMatch, liveness: this.#state.liveness },
    };
    if (this.#planned('result')) this.#enter('result', null);
    this.#set({ result, status: 'complete', awaiting: null });
    this.#dispatch('complete', result);
    this.#emitState();
  }

  // -------------------------------------------------------------------------------------------
  // Handoff (desktop side)

  /**
   * Follows the session while another device runs it: polls its status and the link's state until
   * the verifier decided (`completed`), or until `cancelHandoff()` (`cancelled`: the run goes back to
   * the step the user left). `startHandoff()` meanwhile issues a fresh link. Actions are accepted
   * during a poll too: one wait stays open for the whole follow.
   */
  async #followHandoff(reply: Extract<FlowAction, { type: 'handoff' }>['reply'], signal: AbortSignal): Promise<'completed' | 'cancelled'> {
    this.#releaseCamera();
    const { api, clientToken, session } = this.#data.resolved!;
    const pollMs = this.#options.statusPollMs ?? 1000;
    const issue = async (): Promise<HandoffInfo> => {
      const issued = await api!.issueHandoff(session.sessionId, clientToken!, signal);
      const info: HandoffInfo = { url: handoffLink(this.#options.handoffUrl ?? globalThis.location?.href ?? 'http://localhost/', issued.handoffToken), expiresAt: issued.expiresAt, status: 'waiting' };
      this.#set({ handoff: info, awaiting: 'handoff', error: null });
      this.#dispatch('handoff', info);
      return info;
    };
    try {
      reply.resolve(await issue());
    } catch (error) {
      reply.reject(error);
      throw error;
    }
    const follow = (): PendingAction => this.#inbox.wait(['handoff', 'handoff-cancel'], signal);
    let pending = follow();
    try {
      for (;;) {
        const woke = await Promise.race([this.#deps.sleep(pollMs, signal).then(() => null), pending.promise]);
        if (woke) {
          pending = follow();
          if (woke.type === 'handoff-cancel') {
            await this.#revokeHandoff(signal);
            return 'cancelled';
          }
          if (woke.type === 'handoff') {
            try {
              woke.reply.resolve(await issue());
            } catch (error) {
              woke.reply.reject(error);
            }
          }
          continue;
        }
        const [link, status] = await Promise.all([api!.handoffState(session.sessionId, clientToken!, signal), api!.status(session.sessionId, clientToken!, signal)]);
        const current = this.#state.handoff!;
        const next = status.status === 'decided' ? 'decided' : status.status === 'received' ? 'received' : status.status === 'expired' ? 'expired'
          : link.state === 'exchanged' ? 'opened' : link.state === 'expired' ? 'expired' : 'waiting';
        if (next !== current.status) {
          const info = { ...current, status: next } as HandoffInfo;
          this.#set({ handoff: info });
          this.#dispatch('handoff', info);
        }
        if (status.status === 'expired') throw new EkycError('session_expired', 'The session expired during the handoff.');
        if (status.status === 'decided' && status.decision) {
          await this.#finish({
            sessionId: session.sessionId, evidenceId: null, delivery: 'handoff', sealed: null,
            decision: { outcome: status.decision.outcome, decidedAt: status.decision.decidedAt }, userMessage: status.userMessage,
          }, signal);
          return 'completed';
        }
      }
    } finally {
      pending.cancel();
    }
  }

  /**
   * The desktop stops following. The shown link is revoked: the verifier keeps one unused link per
   * session and a new one revokes the others, so the flow asks for one it never shows (it expires
   * unused after the verifier's link lifetime). A link a phone already opened is not revoked: that
   * phone holds its own session token, and whichever device binds its signing key first goes on.
   * Best effort: when the verifier refuses (key bound, session expired) the shown link was not
   * usable anyway.
   */
  async #revokeHandoff(signal: AbortSignal): Promise<void> {
    const { api, clientToken, session } = this.#data.resolved!;
    if (this.#state.handoff?.status === 'waiting') await api!.issueHandoff(session.sessionId, clientToken!, signal).catch(() => undefined);
    signal.throwIfAborted();
    void this.#data.events?.append('handoff.cancelled', {});
    this.#set({ handoff: null, awaiting: null });
  }

  #canHandoff(): boolean {
    const source = this.#options.session;
    if ('config' in source || 'handoffToken' in source) return false;
    return this.#state.status === 'running' && this.#inbox.accepts('handoff');
  }

  #handoffType(): ActionType[] {
    const source = this.#options.session;
    return 'config' in source || 'handoffToken' in source ? [] : ['handoff'];
  }

  // -------------------------------------------------------------------------------------------
  // Camera

  async #openCamera(step: StepId, facingMode: 'user' | 'environment', signal: AbortSignal): Promise<Camera> {
    this.#releaseCamera();
    const camera = await this.#deps.openCamera({ facingMode, signal });
    if (signal.aborted) {
      camera.stop();
      throw signal.reason;
    }
    this.#camera = camera;
    const settings = camera.settings;
    const width = Math.round(settings.width ?? camera.video.videoWidth ?? 0);
    const height = Math.round(settings.height ?? camera.video.videoHeight ?? 0);
    const detail: CameraDetail = { step, stream: camera.stream, facingMode, settings: width > 0 && height > 0 ? { width, height, frameRate: settings.frameRate ?? null } : null };
    const track = camera.stream.getVideoTracks()[0];
    if (width > 0 && height > 0) {
      this.#data.camera = {
        label: (track?.label ?? '').slice(0, 512), width, height, frameRate: settings.frameRate && settings.frameRate > 0 ? settings.frameRate : null,
        facingMode: settings.facingMode === 'user' || settings.facingMode === 'environment' ? settings.facingMode : 'unknown',
      };
    }
    this.#dispatch('camera', detail);
    return camera;
  }

  #releaseCamera(): void {
    const camera = this.#camera;
    if (!camera) return;
    this.#camera = null;
    camera.stop();
    this.#dispatch('camera', { step: this.#state.step ?? 'session', stream: null, facingMode: 'environment', settings: null });
  }

  /**
   * Capture errors offer the camera again and upload; camera errors, and every failed selfie (no
   * face, more than one, a liveness capture without a neutral frame), also a phone when the session
   * comes from a verifier: a desktop webcam that cannot take the selfie is a dead end otherwise.
   */
  #cameraActions(error: EkycError, step: StepId): RecoveryAction[] {
    const phone = error.code.startsWith('camera_') || step === 'liveness';
    const actions: RecoveryAction[] = ['retry', 'upload'];
    if (phone && this.#handoffType().length > 0) actions.push('handoff');
    return actions;
  }

  #applyRecovery(action: FlowAction): void {
    if (action.type === 'upload') this.#set({ captureMode: 'upload' });
    else if (action.type === 'camera') this.#set({ captureMode: 'camera' });
  }

  // -------------------------------------------------------------------------------------------
  // State and events

  /** A recoverable error: dispatched, then waits for one of `actions` (retry also accepts retryCamera). */
  async #recover(error: EkycError, step: StepId, actions: readonly RecoveryAction[], signal: AbortSignal): Promise<FlowAction> {
    const detail: FlowErrorDetail = { code: error.code, message: error.message, recoverable: true, step, actions };
    this.#set({ error: detail, awaiting: 'error' });
    this.#dispatch('error', detail);
    const types: ActionType[] = [];
    if (actions.includes('retry')) types.push('retry', 'camera');
    if (actions.includes('upload')) types.push('upload');
    if (actions.includes('handoff')) types.push(...this.#handoffType());
    const action = await this.#wait(types, signal);
    this.#set({ error: null });
    if (action.type === 'handoff') throw new HandoffRequested(action.reply);
    return action;
  }

  async #wait(types: readonly ActionType[], signal: AbortSignal): Promise<FlowAction> {
    const action = await this.#inbox.wait(types, signal).promise;
    if (action.type === 'handoff') throw new HandoffRequested(action.reply);
    return action;
  }

  #fail(error: EkycError): void {
    this.#releaseCamera();
    const detail: FlowErrorDetail = { code: error.code, message: error.message, recoverable: false, step: this.#state.step, actions: ['restart'] };
    this.#set({ status: 'failed', awaiting: null, error: detail });
    this.#dispatch('error', detail);
  }

  #enter(step: StepId, awaiting: Awaiting | null): void {
    const previous = this.#state.step;
    this.#set({ step, awaiting, error: null });
    const index = this.#state.plan.indexOf(step);
    this.#dispatch('step', { step, previous, index, total: this.#state.plan.length, awaiting, captureMode: this.#state.captureMode });
  }

  #complete(step: StepId): void {
    if (!this.#state.completed.includes(step)) this.#set({ completed: [...this.#state.completed, step] });
  }

  #planned(step: StepId): boolean {
    return this.#state.plan.includes(step);
  }

  #progress(detail: ProgressDetail): void {
    if (detail.kind === 'model' && detail.state === 'ready') void this.#rememberRuntime(detail.worker);
    this.#dispatch('progress', detail);
  }

  async #rememberRuntime(worker: string): Promise<void> {
    if (this.#runtime !== null || (worker !== 'face' && worker !== 'document')) return;
    const value = await this.#pool.readyValue(worker).catch(() => null);
    const runtime = (value as { runtime?: RuntimeReport } | null)?.runtime;
    if (runtime) this.#runtime = runtime;
  }

  #set(patch: Partial<FlowState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#emitState();
  }

  #emitState(): void {
    this.#dispatch('state', this.#state);
  }

  #dispatch<K extends keyof VerificationFlowEventMap>(type: K, detail: VerificationFlowEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #stopRun(): void {
    const run = this.#run;
    this.#run = null;
    this.#releaseCamera();
    this.#inbox.clear();
    this.#pendingUpload = null;
    if (run && !run.signal.aborted) run.abort(abortError());
  }

  #locale(): string {
    return this.#options.locale ?? globalThis.navigator?.language ?? 'en';
  }

  #freshData(): RunData {
    return { resolved: null, events: null, startedAt: new Date(0), sides: [], front: null, back: null, mrz: null, portrait: null, edits: null, selfie: null, camera: null, documentsDone: false };
  }
}

