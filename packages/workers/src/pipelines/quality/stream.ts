import { quality } from '@ekyc/core';

/** Frames since the last full detection after which a tracked outline is checked against a fresh one. */
const REDETECT_EVERY = 10;

/**
 * Everything the quality worker remembers about the camera stream it is judging, in one object:
 * the thresholds and stability count (the core `CaptureSession`), the document outline to follow
 * into the next frame, and how long it has been followed without a full detection. `configure`
 * and `reset` start all of it afresh together; nothing else in the pipeline keeps per-stream state.
 */
export class QualityStream {
  private session: quality.CaptureSession;
  /** The last frame's document outline, followed into the next frame. */
  private tracked: quality.Quad | null = null;
  /** Frames since the last full detection. */
  private sinceDetection = 0;

  constructor(thresholds: Partial<quality.QualityThresholds> = {}) {
    this.session = new quality.CaptureSession(thresholds);
  }

  get thresholds(): quality.QualityThresholds {
    return this.session.thresholds;
  }

  /** New thresholds (over the defaults): a new capture. */
  configure(thresholds: Partial<quality.QualityThresholds>): quality.QualityThresholds {
    this.session = new quality.CaptureSession(thresholds);
    this.forgetOutline();
    return this.session.thresholds;
  }

  /** Starts counting stable frames afresh (e.g. for the back of the card), and detects afresh. */
  reset(): void {
    this.session.reset();
    this.forgetOutline();
  }

  /**
   * The outline the next frame should start from, or `null` for a full detection. A hand-held stream
   * keeps the document where it was: follow it, and detect afresh every few frames so that a tracked
   * outline cannot stay stuck on something that is not the document.
   */
  outlineToFollow(): quality.Quad | null {
    return this.sinceDetection < REDETECT_EVERY ? this.tracked : null;
  }

  /**
   * Takes one frame's metrics (measured from `followed`, as `outlineToFollow` gave it): the capture decision.
   * An outline wholly in view without a document's proportions (the `shape` check) is not followed: it is
   * most likely a part of the document or more than it, and a full detection looks further (the held card's
   * straight edges) on the next frame rather than after `REDETECT_EVERY`.
   */
  next(metrics: quality.FrameMetrics, followed: quality.Quad | null): quality.FrameAssessment {
    const assessment = this.session.next(metrics);
    this.tracked = quality.misshapenInView(assessment.checks) ? null : (metrics.document?.corners ?? null);
    this.sinceDetection = followed ? this.sinceDetection + 1 : 0;
    return assessment;
  }

  private forgetOutline(): void {
    this.tracked = null;
    this.sinceDetection = 0;
  }
}
