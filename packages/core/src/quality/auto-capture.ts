import { meanCornerShift } from './geometry.ts';
import { rankGuidance, runChecks } from './assess.ts';
import { resolveQualityThresholds, type QualityThresholds } from './thresholds.ts';
import type { FrameAssessment, FrameMetrics, Quad } from './types.ts';

/**
 * Turns a stream of per-frame metrics into guidance and one auto-capture decision: it measures
 * motion between consecutive document quads, counts consecutive frames that pass every check,
 * and fires `capture` exactly once when that count reaches `stableFramesToCapture`. After a
 * capture it stays quiet until `reset()` (e.g. when the flow moves on to the next side).
 */
export class CaptureSession {
  readonly thresholds: QualityThresholds;
  private previousQuad: Quad | null = null;
  private stable = 0;
  private captured = false;

  constructor(thresholds: Partial<QualityThresholds> = {}) {
    this.thresholds = resolveQualityThresholds(thresholds);
  }

  get hasCaptured(): boolean {
    return this.captured;
  }

  reset(): void {
    this.previousQuad = null;
    this.stable = 0;
    this.captured = false;
  }

  next(metrics: FrameMetrics): FrameAssessment {
    const quad = metrics.document?.corners ?? null;
    // The first frame with a document has nothing to compare with: it cannot prove it is steady.
    const motion = quad && this.previousQuad ? meanCornerShift(quad, this.previousQuad) / metrics.frameWidth : quad ? Infinity : 0;
    this.previousQuad = quad;
    const checks = runChecks(metrics, motion, this.thresholds);
    const guidance = rankGuidance(metrics, checks, this.thresholds);
    this.stable = guidance[0] === 'good' ? this.stable + 1 : 0;
    const capture = !this.captured && this.stable >= this.thresholds.stableFramesToCapture;
    if (capture) this.captured = true;
    return { metrics, motion, checks, guidance, stableFrames: this.stable, capture };
  }
}

/** A single still image (upload path): no motion to measure, and it is captured if it is good. */
export function assessStill(metrics: FrameMetrics, thresholds: Partial<QualityThresholds> = {}): FrameAssessment {
  const resolved = resolveQualityThresholds(thresholds);
  const checks = runChecks(metrics, 0, resolved);
  const guidance = rankGuidance(metrics, checks, resolved);
  const good = guidance[0] === 'good';
  return { metrics, motion: 0, checks, guidance, stableFrames: good ? 1 : 0, capture: good };
}
