import { liveness, sha256Hex, type RgbaImage } from '@ekyc/core';
import { toLivenessFrame, type LivenessClient, type TrackResult } from '@ekyc/workers';
import { watchVideoFrames } from '../capture/video-frames.ts';
import { livenessDiagnostics, type LivenessDiagnostics } from './diagnostics.ts';
import { canvasFrameReader, videoTrackLabel, type FrameReader } from './frame-reader.ts';

/** The calls the capture needs from the liveness worker (`LivenessClient`). */
export type LivenessTracker = Pick<LivenessClient, 'track' | 'reset'>;

/**
 * One face embedding of a frame (e.g. `FaceClient.embedAll`, largest face), null when no face was
 * found. The frame's buffer may be transferred. Enables pose-matched face continuity.
 */
export type FaceEmbedder = (frame: RgbaImage) => Promise<ArrayLike<number> | null>;

export interface LivenessCaptureOptions {
  /** A playing front-camera video, e.g. `openCamera({ facingMode: 'user' }).video`. Frames are read unmirrored. */
  video: HTMLVideoElement;
  /** The liveness worker. `reset()` is called before the first frame. */
  client: LivenessTracker;
  /** The verifier's single-use session nonce: the challenge order comes from it (HMAC, core `challengeSequence`). */
  nonce: string;
  /** Carried into the outcome for the caller's evidence. */
  sessionId?: string;
  /** The session's liveness config (count, windows, retries); default `liveness.livenessConfig()`. Must equal the verifier's. */
  config?: liveness.LivenessConfig;
  /** Face embedder for pose-matched continuity; without one `continuity` is null in the outcome. */
  embedFace?: FaceEmbedder;
  continuity?: liveness.PoseContinuityOptions;
  /** The camera's label for the virtual-camera signal; default the video's track label. */
  cameraLabel?: string | null;
  /** Aborting stops the capture: `result` rejects with the signal's reason. `AbortSignal.timeout(ms)` bounds a stalled camera. */
  signal?: AbortSignal;
  /** I/O seams for tests: how a frame is read, and the monotonic clock (default `performance.now`, origin `performance.timeOrigin`). */
  readFrame?: FrameReader;
  now?: () => number;
  timeOrigin?: number;
}

/** What the UI shows: the current prompt and its state. */
export interface ChallengePrompt {
  /** The challenge asked, null while the neutral baseline is taken (`state: 'waiting'`). */
  readonly kind: liveness.ChallengeKind | null;
  readonly index: number;
  readonly count: number;
  /** 0 for the first try of this challenge, 1 for its retry. */
  readonly attempt: number;
  readonly state: 'waiting' | liveness.AttemptState;
  /** 0..1 toward the response. */
  readonly progress: number;
  /** Time left in the challenge's window (or to take the baseline), ms; 0 once ended. */
  readonly remainingMs: number;
  /** Why an ended attempt failed or timed out. */
  readonly reason: liveness.LivenessReason | null;
  /** True when the prompt, its attempt or its state changed with this event (otherwise only progress and time moved). */
  readonly changed: boolean;
}

/** What the tracker saw on one frame. */
export interface FaceTrack {
  readonly t: number;
  readonly faceCount: number;
  /** Face box normalised to the frame (0..1), unmirrored; null without exactly one face. */
  readonly box: liveness.FaceSignals['box'] | null;
  /** 478 x, y, z in frame pixels, unmirrored; null without a tracked face. */
  readonly landmarks: Float32Array | null;
  /** Guidance codes, most important first (face_not_found, face_multiple, too_dark, move_closer, move_farther, center_face, hold_still). */
  readonly guidance: readonly liveness.GuidanceCode[];
  readonly brightness: number;
  readonly frameWidth: number;
  readonly frameHeight: number;
}

export interface LivenessCaptureKeyframe {
  readonly role: liveness.KeyframeRole;
  /** Whole ms, as in the transcript. */
  readonly t: number;
  /** SHA-256 of `image.data`, the hash the transcript records. */
  readonly sha256: string;
  readonly image: RgbaImage;
  readonly landmarks: Float32Array | null;
}

export interface LivenessCaptureStats {
  /** New video frames seen. */
  videoFrames: number;
  /** Dropped because the previous frame was still being tracked. */
  skippedBusy: number;
  /** The video had no frame to read. */
  grabFailed: number;
  /** Frames tracked and pushed to the engine. */
  tracked: number;
  /** Faces embedded for continuity. */
  embedded: number;
}

export interface LivenessContinuity {
  /** The weakest link's cosine (null: fewer than two faces embedded). */
  readonly minimum: number | null;
  readonly ok: boolean;
  readonly threshold: number;
  readonly links: readonly liveness.ContinuityLink[];
  /** Why continuity could not be measured (the embedder failed), else null. */
  readonly error: string | null;
}

export interface LivenessOutcome {
  readonly sessionId: string | null;
  readonly nonce: string;
  readonly state: 'passed' | 'failed' | 'timed_out';
  readonly reason: liveness.LivenessReason | null;
  readonly passed: readonly liveness.ChallengeKind[];
  /** The engine's transcript, keyframe hashes attached: put it in the evidence (`liveness.livenessEvidence`). */
  readonly transcript: liveness.LivenessTranscript;
  /** The transcript's keyframes with their pixels, in the transcript's order. */
  readonly keyframes: readonly LivenessCaptureKeyframe[];
  /** Replay and injection signals (scored, never blocking). */
  readonly signals: readonly liveness.ReplaySignal[];
  readonly continuity: LivenessContinuity | null;
  /** Median screen-moiré score of the keyframes' faces (core `moireScore`), null when no face was large enough. */
  readonly moire: number | null;
  readonly cameraLabel: string | null;
  /** Every video frame's time (ms, the clock of the transcript), dropped ones included. */
  readonly frameTimestamps: readonly number[];
  /** Epoch ms at time 0 of the transcript's clock. */
  readonly timeOrigin: number;
  readonly stats: Readonly<LivenessCaptureStats>;
  /** Why it ended as it did: frame rates, gaps, frames without a face, each attempt's peak against its threshold. */
  readonly diagnostics: LivenessDiagnostics;
}

export class ChallengeEvent extends Event {
  constructor(readonly prompt: ChallengePrompt) {
    super('challenge');
  }
}

export class TrackEvent extends Event {
  constructor(readonly track: FaceTrack) {
    super('track');
  }
}

export class CompleteEvent extends Event {
  constructor(readonly outcome: LivenessOutcome) {
    super('complete');
  }
}

interface LivenessCaptureEventMap {
  challenge: ChallengeEvent;
  track: TrackEvent;
  complete: CompleteEvent;
}

const copyImage = (image: RgbaImage): RgbaImage => ({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });

/** Median moiré score of the keyframes' faces, each at its box as the transcript records it. */
function keyframeMoire(transcript: liveness.LivenessTranscript, keyframes: readonly LivenessCaptureKeyframe[]): number | null {
  const values: number[] = [];
  for (const keyframe of keyframes) {
    const s = transcript.keyframes.find((k) => k.t === keyframe.t && k.role === keyframe.role)?.signals;
    if (!s) continue;
    const value = liveness.moireScore(keyframe.image, { x: s.boxX, y: s.boxY, width: s.boxW, height: s.boxH }).value;
    if (value !== null) values.push(value);
  }
  if (!values.length) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * Active liveness on a live video: each new frame is read, tracked in the liveness worker (one frame
 * in flight; frames arriving meanwhile are dropped, never queued) and pushed to core's
 * `LivenessEngine`, whose order comes from the nonce and which takes the neutral baseline first.
 * Dispatches `track` per tracked frame and `challenge` per judged frame, and `complete` once;
 * `result` resolves with the outcome whether it passed, failed or timed out (retries bounded by the
 * config's `maxRetries`), and rejects on abort, `stop()` or a worker error. The capture never opens
 * or stops the camera: the caller owns the stream.
 */
export class LivenessCapture extends EventTarget {
  readonly result: Promise<LivenessOutcome>;
  readonly stats: LivenessCaptureStats = { videoFrames: 0, skippedBusy: 0, grabFailed: 0, tracked: 0, embedded: 0 };
  private readonly options: LivenessCaptureOptions;
  private readonly readFrame: FrameReader;
  private readonly now: () => number;
  private readonly timestamps: number[] = [];
  private readonly trackedTimestamps: number[] = [];
  private readonly keyframes: LivenessCaptureKeyframe[] = [];
  private readonly continuity: liveness.PoseMatchedContinuity | null;
  private continuityError: string | null = null;
  private readonly chosen: { t: number; yaw: number; frame: RgbaImage }[] = [];
  private neutralTaken = false;
  private engine: liveness.LivenessEngine | undefined;
  private busy = false;
  private stopped = false;
  private stopClock: () => void = () => undefined;
  private settle!: { resolve: (outcome: LivenessOutcome) => void; reject: (reason: unknown) => void };
  private startedAt: number | null = null;
  private prompt: { key: string; state: string; activatedAt: number } | null = null;

  constructor(options: LivenessCaptureOptions) {
    super();
    this.options = options;
    this.readFrame = options.readFrame ?? canvasFrameReader();
    this.now = options.now ?? (() => performance.now());
    this.continuity = options.embedFace ? new liveness.PoseMatchedContinuity(options.continuity) : null;
    this.result = new Promise<LivenessOutcome>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Marked handled: a capture stopped before anyone awaited it is not an unhandled rejection.
    this.result.catch(() => undefined);
    const { signal } = options;
    if (signal?.aborted) {
      this.stop(signal.reason);
      return;
    }
    signal?.addEventListener('abort', () => this.stop(signal.reason), { once: true });
    void this.start();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether a frame is being tracked and judged: a video frame that arrives meanwhile is skipped (`stats.skippedBusy`). */
  get isProcessing(): boolean {
    return this.busy;
  }

  /** Stops reading frames; `result` rejects with `reason` (default an `AbortError`) unless it already settled. */
  stop(reason: unknown = new DOMException('The liveness capture was stopped', 'AbortError')): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopClock();
    this.settle.reject(reason);
  }

  override addEventListener<K extends keyof LivenessCaptureEventMap>(
    type: K,
    listener: ((event: LivenessCaptureEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  private async start(): Promise<void> {
    try {
      const config = this.options.config ?? liveness.livenessConfig();
      this.engine = await liveness.LivenessEngine.fromNonce(this.options.nonce, config);
      await this.options.client.reset();
    } catch (error) {
      this.stop(error);
      return;
    }
    if (this.stopped) return;
    this.stopClock = watchVideoFrames(this.options.video, () => this.onVideoFrame());
  }

  private onVideoFrame(): void {
    if (this.stopped) return;
    this.stats.videoFrames++;
    this.timestamps.push(Math.round(this.now()));
    if (this.busy) {
      this.stats.skippedBusy++;
      return;
    }
    this.busy = true;
    void this.process().catch((error: unknown) => this.stop(error)).finally(() => {
      this.busy = false;
    });
  }

  private async process(): Promise<void> {
    const t = Math.round(this.now());
    const image = this.readFrame(this.options.video);
    if (!image) {
      this.stats.grabFailed++;
      return;
    }
    // The worker takes the frame's buffer; a copy stays here for keyframes and continuity.
    const kept = copyImage(image);
    const tracked: TrackResult = await this.options.client.track(image);
    if (this.stopped) return;
    this.stats.tracked++;
    this.trackedTimestamps.push(t);
    const engine = this.engine!;
    const step = engine.push(toLivenessFrame(tracked, t));
    this.startedAt ??= t;
    this.dispatchEvent(new TrackEvent({
      t, faceCount: tracked.faceCount, box: tracked.faceCount === 1 ? (tracked.signals?.box ?? null) : null,
      landmarks: tracked.landmarks ?? null, guidance: step.guidance, brightness: tracked.brightness, frameWidth: kept.width, frameHeight: kept.height,
    }));
    if (step.keyframe) {
      const sha256 = await sha256Hex(new Uint8Array(kept.data.buffer as ArrayBuffer, kept.data.byteOffset, kept.data.byteLength));
      engine.attachKeyframe(t, { sha256, ...(tracked.landmarks ? { landmarks: tracked.landmarks } : {}) });
      this.keyframes.push({ role: step.keyframe, t, sha256, image: kept, landmarks: tracked.landmarks ?? null });
      if (step.keyframe === 'neutral') this.neutralTaken = true;
    }
    // Only frames the engine kept: their yaw is in the transcript, so a verifier can pair the same faces.
    if (step.accepted) this.trackContinuity(t, tracked, kept, step.keyframe !== null);
    if (step.accepted) this.announce(step, t);
    if (step.state === 'passed' || step.state === 'failed' || step.state === 'timed_out') await this.finish(step.state);
  }

  /**
   * Chooses frames to embed (keyframes, and bridges across yaw); they are embedded once the
   * challenges are over (`embedChosen`), in order. Embedding during the challenges competed with the
   * tracker for the CPU: on the loaded 2-core test machine judged frames then came up to 770 ms
   * apart, past the engine's 500 ms `maxFrameGapMs` (a slow phone is no different). The copies
   * wait in memory: one per yaw step and per keyframe.
   */
  private trackContinuity(t: number, tracked: TrackResult, frame: RgbaImage, keyframe: boolean): void {
    const continuity = this.continuity;
    const yaw = tracked.faceCount === 1 ? tracked.signals?.yaw : undefined;
    if (!continuity || !this.options.embedFace || !this.neutralTaken || yaw === undefined) return;
    if (!continuity.select(t, yaw, keyframe)) return;
    this.chosen.push({ t, yaw, frame: copyImage(frame) });
  }

  private async embedChosen(): Promise<void> {
    const continuity = this.continuity;
    const embed = this.options.embedFace;
    if (!continuity || !embed) return;
    for (const { t, yaw, frame } of this.chosen.splice(0)) {
      if (this.stopped) return;
      if (this.continuityError) {
        continuity.cancel(t);
        continue;
      }
      try {
        const vector = await embed(frame);
        this.stats.embedded++;
        if (vector) continuity.add(t, yaw, vector);
        else continuity.cancel(t);
      } catch (error) {
        this.continuityError = error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'embedding_failed';
      }
    }
  }

  private announce(step: liveness.LivenessStep, t: number): void {
    const config = this.engine!.config;
    const c = step.challenge;
    if (!c) {
      const remainingMs = Math.max(0, config.baseline.timeoutMs - (t - (this.startedAt ?? t)));
      const changed = this.prompt === null;
      this.prompt = { key: 'baseline', state: 'waiting', activatedAt: this.startedAt ?? t };
      this.dispatchEvent(new ChallengeEvent({ kind: null, index: 0, count: config.challengeCount, attempt: 0, state: 'waiting', progress: 0, remainingMs, reason: null, changed }));
      return;
    }
    const key = `${c.index}/${c.attempt}`;
    const previous = this.prompt;
    if (previous && previous.key !== key && previous.key !== 'baseline' && previous.state === 'active') {
      // The attempt ended on this frame and the next one started: report how the ended one went.
      const [index, attempt] = previous.key.split('/').map(Number);
      const ended = this.engine!.transcript().attempts.find((a) => a.index === index && a.attempt === attempt);
      if (ended) {
        this.dispatchEvent(new ChallengeEvent({
          kind: ended.kind, index: ended.index, count: c.count, attempt: ended.attempt, state: ended.state,
          progress: ended.state === 'passed' ? 1 : 0, remainingMs: 0, reason: ended.reason, changed: true,
        }));
      }
    }
    const activatedAt = previous?.key === key ? previous.activatedAt : t;
    const changed = previous?.key !== key || previous.state !== c.state;
    this.prompt = { key, state: c.state, activatedAt };
    const remainingMs = c.state === 'active' ? Math.max(0, config.challengeWindowMs - (t - activatedAt)) : 0;
    this.dispatchEvent(new ChallengeEvent({ kind: c.kind, index: c.index, count: c.count, attempt: c.attempt, state: c.state, progress: c.progress, remainingMs, reason: c.state === 'active' ? null : step.reason, changed }));
  }

  private async finish(state: 'passed' | 'failed' | 'timed_out'): Promise<void> {
    this.stopClock();
    await this.embedChosen();
    if (this.stopped) return;
    const engine = this.engine!;
    const transcript = engine.transcript();
    const result = engine.result();
    const cameraLabel = this.options.cameraLabel !== undefined ? this.options.cameraLabel : videoTrackLabel(this.options.video);
    const continuity = this.continuity
      ? { minimum: this.continuityError ? null : this.continuity.minimum, ok: this.continuityError ? false : this.continuity.ok, threshold: this.continuity.threshold, links: [...this.continuity.links], error: this.continuityError }
      : null;
    const moire = keyframeMoire(transcript, this.keyframes);
    const outcome: LivenessOutcome = {
      sessionId: this.options.sessionId ?? null,
      nonce: this.options.nonce,
      state,
      reason: result.reason,
      passed: [...result.passed],
      transcript,
      keyframes: [...this.keyframes],
      signals: liveness.assessReplaySignals({
        series: transcript.frames,
        timestamps: this.timestamps,
        cameraLabel,
        continuityMinimum: continuity?.minimum ?? null,
        moire,
      }),
      continuity,
      moire,
      cameraLabel,
      frameTimestamps: [...this.timestamps],
      timeOrigin: this.options.timeOrigin ?? (this.options.now ? 0 : performance.timeOrigin),
      stats: { ...this.stats },
      diagnostics: livenessDiagnostics(transcript, this.stats, this.timestamps, this.trackedTimestamps),
    };
    this.stopped = true;
    this.settle.resolve(outcome);
    this.dispatchEvent(new CompleteEvent(outcome));
  }
}
