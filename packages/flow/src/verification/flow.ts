/**
 * `VerificationFlow`: the whole verification as one state machine shared by the elements and npm
 * users. It runs the steps of `types.ts` in order, waits for the user where a step needs them
 * (`state.awaiting`), and dispatches typed events; it holds no view state. Every I/O boundary
 * (fetch, camera, workers, image codec, evidence delivery, clock) can be replaced through
 * `VerificationFlowDeps`, which is how the unit tests run it without a browser.
 *
 * Nothing is captured before consent: no camera opens and no worker loads until `grantConsent`.
 * A camera is stopped when its step ends, on `cancel()`, `reset()` and `dispose()`.
 *
 * This class is the state machine: the public API, the run loop, the state and its events, the
 * camera it owns. Each step is a function of the `FlowHost` it hands out (flow-host.ts): session and
 * consent (step-session.ts), the handoff (handoff-follow.ts), and the steps after consent, loaded
 * with ./runtime.ts once consent is granted (step-document.ts, step-read.ts, step-liveness.ts,
 * step-face-match.ts, step-evidence.ts, step-submit.ts).
 */
import { EkycError, type SessionSigner } from '@ekyc/core';
import type { RuntimeReport } from '@ekyc/workers';
import type { Camera, OpenCameraOptions } from '../capture/camera.ts';
import type { DocumentCapture } from '../capture/document-capture.ts';
import type { FrameAnalyzer, NextFrame } from '../capture/document-reading.ts';
import type { EvidenceDelivery } from '../transport/delivery.ts';
import type { LivenessCapture, LivenessCaptureOptions } from '../liveness/index.ts';
import { ActionInbox, type ActionType, type FlowAction } from './actions.ts';
import { HandoffRequested, abortError, asEkycError } from './flow-errors.ts';
import type { FlowDeps, FlowHost, FlowRuntime } from './flow-host.ts';
import { followHandoff } from './handoff-follow.ts';
import type { ImageCodec } from './images.ts';
import { planSteps } from './plan.ts';
import { freshRunData, freshState, type RunData } from './run-data.ts';
import { stepConsent, stepSession } from './step-session.ts';
import type {
  Awaiting, CameraDetail, CancelDetail, FlowErrorDetail, FlowState, HandoffInfo, ProgressDetail,
  RecoveryAction, ResultSummary, ReviewEdits, StepId, VerificationFlowApi, VerificationFlowEventMap, VerificationFlowOptions,
} from './types.ts';
import { WorkerPool, defaultWorkerFactory, type WorkerFactory } from './workers.ts';

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

export class VerificationFlow extends EventTarget implements VerificationFlowApi {
  readonly #options: VerificationFlowOptions;
  readonly #deps: FlowDeps;
  readonly #pool: WorkerPool;
  readonly #inbox = new ActionInbox();
  #state: FlowState;
  #run: AbortController | null = null;
  /** The camera open now, with the step and facing mode its `camera` event named: its release names the same. */
  #camera: ({ camera: Camera } & Pick<CameraDetail, 'step' | 'facingMode'>) | null = null;
  #data: RunData;
  #runtime: RuntimeReport | null = null;
  #disposed = false;
  #runtimeModule: FlowRuntime | null = null;
  readonly #host: FlowHost;

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
    this.#data = freshRunData();
    this.#host = this.#makeHost();
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
    this.#data = freshRunData();
    const plan = planSteps(this.#options.steps, !('config' in this.#options.session));
    this.#state = { ...freshState(this.#options.capture ?? 'camera'), status: 'running', plan };
    this.#emitState();
    return this.#runAll(run.signal).then(() => this.#state);
  }

  reset(): void {
    this.#stopRun();
    this.#data = freshRunData();
    this.#state = freshState(this.#options.capture ?? 'camera');
    if (!this.#disposed) this.#emitState();
  }

  cancel(): void {
    this.#cancel('user');
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#cancel('disposed');
    this.#stopRun();
    this.#pool.terminateAll();
    this.#disposed = true;
    this.#set({ status: 'disposed', awaiting: null });
  }

  /** Ends a running run with `cancel`; `reason` tells a user's cancel from the host page disposing the flow. */
  #cancel(reason: CancelDetail['reason']): void {
    if (this.#state.status !== 'running') return;
    const step = this.#state.step;
    this.#stopRun();
    this.#set({ status: 'cancelled', awaiting: null });
    this.#dispatch('cancel', { step, reason });
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  grantConsent(locale?: string): void {
    this.#inbox.deliver({ type: 'consent', locale: locale ?? this.#locale() });
  }

  declineConsent(): void {
    this.#inbox.deliver({ type: 'decline' });
  }

  useUpload(files: Blob | readonly Blob[]): void {
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
    const host = this.#host;
    try {
      await stepSession(host, signal);
      for (;;) {
        try {
          // After a cancelled handoff the run goes back to the step the user left, steps done stay done.
          if (this.#state.consent === null) await stepConsent(host, signal);
          await this.#loadRuntime();
          if (this.#planned('document-front') && !this.#data.documentsDone) await this.#rt.documentSteps(host, signal);
          if (this.#planned('liveness') && !this.#state.completed.includes('liveness')) await this.#rt.stepLiveness(host, signal);
          break;
        } catch (error) {
          if (!(error instanceof HandoffRequested)) throw error;
          if (await followHandoff(host, error.reply, signal) === 'completed') return;
        }
      }
      if (this.#planned('face-match')) await this.#rt.stepFaceMatch(host, signal);
      const sealed = await this.#rt.stepEvidence(host, signal);
      const delivered = this.#planned('submit') ? await this.#rt.stepSubmit(host, sealed.sealed!, signal) : null;
      await this.#finish({
        sessionId: this.#data.resolved!.session.sessionId,
        evidenceId: sealed.evidenceId,
        delivery: delivered === null ? 'local' : delivered.delivered ? 'delivered' : 'queued',
        sealed: delivered === null ? sealed.sealed : null,
        ...(delivered === null || !delivered.delivered ? { decision: null, userMessage: null } : await this.#rt.awaitDecision(host, signal)),
      });
    } catch (error) {
      if (signal.aborted) return;
      this.#fail(asEkycError(error));
    } finally {
      this.#releaseCamera();
      this.#inbox.clear();
    }
  }

  async #finish(summary: Omit<ResultSummary, 'local'>): Promise<void> {
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
  // Handoff (desktop side; following it is handoff-follow.ts)

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
    this.#camera = { camera, step, facingMode };
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
    const open = this.#camera;
    if (!open) return;
    this.#camera = null;
    open.camera.stop();
    this.#dispatch('camera', { step: open.step, stream: null, facingMode: open.facingMode, settings: null });
  }

  /** Files handed over with a recovery action (useUpload while an error waits), used by the step's next turn. */
  #pendingUpload: readonly Blob[] | null = null;

  #takePendingUpload(): readonly Blob[] | null {
    const files = this.#pendingUpload;
    this.#pendingUpload = null;
    return files;
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

  /** What the steps may use of the flow (flow-host.ts); reads the current state, data and camera on each access. */
  #makeHost(): FlowHost {
    // The getters below have the host as `this`: they read this flow's private fields through `flow`.
    const flow = this;
    return {
      options: this.#options,
      deps: this.#deps,
      pool: this.#pool,
      inbox: this.#inbox,
      get state() { return flow.#state; },
      get data() { return flow.#data; },
      get rt() { return flow.#rt; },
      get runtime() { return flow.#runtime; },
      get camera() { return flow.#camera?.camera ?? null; },
      set: (patch) => this.#set(patch),
      dispatch: (type, detail) => this.#dispatch(type, detail),
      enter: (step, awaiting) => this.#enter(step, awaiting),
      complete: (step) => this.#complete(step),
      planned: (step) => this.#planned(step),
      progress: (detail) => this.#progress(detail),
      wait: (types, signal) => this.#wait(types, signal),
      recover: (error, step, actions, signal) => this.#recover(error, step, actions, signal),
      handoffType: () => this.#handoffType(),
      openCamera: (step, facingMode, signal) => this.#openCamera(step, facingMode, signal),
      releaseCamera: () => this.#releaseCamera(),
      takePendingUpload: () => this.#takePendingUpload(),
      keepPendingUpload: (files) => { this.#pendingUpload = files; },
      stopRun: () => this.#stopRun(),
      finish: (summary) => this.#finish(summary),
    };
  }
}
