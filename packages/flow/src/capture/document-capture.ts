import type { RgbaImage } from '@ekyc/core';
import type { QualityClient, TimedAssessment } from '@ekyc/workers';
import { watchVideoFrames } from './video-frames.ts';

/** The one call the capture needs from the quality worker. */
export type FrameAnalyzer = Pick<QualityClient, 'analyzeFrame'>;

export interface DocumentCaptureOptions {
  /** A playing video, e.g. `openCamera().video`. */
  video: HTMLVideoElement;
  /** The quality worker; its session thresholds (`configure`) apply. */
  quality: FrameAnalyzer;
  /** Aborting stops the capture, like `stop(signal.reason)`. */
  signal?: AbortSignal;
}

/** The auto-captured frame: the exact pixels the worker judged, and its assessment. */
export interface CaptureResult {
  frame: RgbaImage;
  assessment: Omit<TimedAssessment, 'frame'>;
}

/** Counters of one capture, e.g. to check that frames are dropped, not queued, while the worker is busy. */
export interface CaptureStats {
  /** New video frames seen. */
  videoFrames: number;
  /** Frames dropped because the previous one was still being grabbed or analysed. */
  skippedBusy: number;
  /** Frames `createImageBitmap` could not grab (e.g. the video had no data yet). */
  grabFailed: number;
  /** Frames posted to the worker. */
  sent: number;
  /** Frames whose assessment came back. */
  analysed: number;
}

/** Dispatched by `DocumentCapture` for every analysed frame, as event type `assessment`. */
export class AssessmentEvent extends Event {
  constructor(readonly assessment: TimedAssessment) {
    super('assessment');
  }
}

interface DocumentCaptureEventMap {
  assessment: AssessmentEvent;
}

/**
 * Feeds a playing video into the quality worker, one frame in flight at a time: a frame that arrives
 * while the previous one is being grabbed or analysed is dropped, never queued, so guidance always
 * describes a recent frame. Each frame is grabbed with `createImageBitmap(video)` and transferred.
 * Stops by itself once auto-capture fires (`captured` resolves), on `stop()`, on abort, or on the
 * first worker error (`captured` rejects with that `EkycError`). Nothing is sent after it stops.
 */
export class DocumentCapture extends EventTarget {
  /** Resolves once, with the auto-captured frame; rejects on a worker error or on stop before capture. */
  readonly captured: Promise<CaptureResult>;
  readonly stats: CaptureStats = { videoFrames: 0, skippedBusy: 0, grabFailed: 0, sent: 0, analysed: 0 };
  private readonly video: HTMLVideoElement;
  private readonly quality: FrameAnalyzer;
  private busy = false;
  private stopped = false;
  private stopClock: () => void = () => undefined;
  private settle!: { resolve: (result: CaptureResult) => void; reject: (reason: unknown) => void };

  constructor(options: DocumentCaptureOptions) {
    super();
    this.video = options.video;
    this.quality = options.quality;
    this.captured = new Promise<CaptureResult>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Marked handled: a capture stopped before anyone awaited it is not an unhandled rejection.
    this.captured.catch(() => undefined);
    const { signal } = options;
    if (signal?.aborted) {
      this.stop(signal.reason);
      return;
    }
    signal?.addEventListener('abort', () => this.stop(signal.reason), { once: true });
    this.stopClock = watchVideoFrames(this.video, () => this.onVideoFrame());
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops sending frames; `captured` rejects with `reason` (default an `AbortError`) unless it already settled. */
  stop(reason: unknown = new DOMException('The capture was stopped', 'AbortError')): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopClock();
    this.settle.reject(reason);
  }

  override addEventListener<K extends keyof DocumentCaptureEventMap>(
    type: K,
    listener: ((event: DocumentCaptureEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  private onVideoFrame(): void {
    if (this.stopped) return;
    this.stats.videoFrames++;
    if (this.busy) {
      this.stats.skippedBusy++;
      return;
    }
    this.busy = true;
    void this.process().finally(() => {
      this.busy = false;
    });
  }

  private async process(): Promise<void> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(this.video);
    } catch {
      this.stats.grabFailed++;
      return;
    }
    if (this.stopped) {
      bitmap.close();
      return;
    }
    this.stats.sent++;
    let assessment: TimedAssessment;
    try {
      assessment = await this.quality.analyzeFrame(bitmap);
    } catch (error) {
      this.stop(error);
      return;
    }
    this.stats.analysed++;
    if (this.stopped) return;
    this.dispatchEvent(new AssessmentEvent(assessment));
    if (assessment.capture && assessment.frame) {
      const { frame, ...rest } = assessment;
      this.settle.resolve({ frame, assessment: rest });
      this.stop();
    }
  }
}
