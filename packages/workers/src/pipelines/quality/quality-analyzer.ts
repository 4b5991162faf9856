import { quality, type RgbaImage } from '@ekyc/core';
import { findDocument } from './candidates.ts';
import { FrameBuffers, MatScope, halved, type OpenCv } from './opencv-frame.ts';
import { searchFrame, trackOutline } from './outline-policy.ts';
import { documentMetrics, wholeFrameMetrics } from './region-metrics.ts';

export type { OpenCv };

/** Where one frame's analysis spent its time (ms): copy and reduction, finding the document, measuring it. */
export interface AnalysisStages {
  prepare: number;
  detect: number;
  measure: number;
}

/**
 * The per-frame measurements: the document's outline (followed from the previous one, else searched
 * for: candidates.ts, judged by outline-policy.ts) and what is measured on it (region-metrics.ts), on
 * OpenCV.js (opencv-frame.ts). Holds no state about a stream: the outline to follow comes in as
 * `previous` (stream.ts keeps it); the only thing kept across frames is the reusable frame buffers.
 */
export class QualityAnalyzer {
  private buffers: FrameBuffers | null = null;

  constructor(private readonly cv: OpenCv) {}

  /** Frees the reused frame buffers (they are made again on the next frame). */
  dispose(): void {
    this.buffers?.delete();
    this.buffers = null;
  }

  /**
   * Measures one frame. `previous` is the document's outline in the frame before (a camera stream):
   * when it is still there, re-fitted to this frame's edges with full support, detection is skipped.
   */
  analyze(frame: RgbaImage, thresholds: quality.QualityThresholds, stages?: AnalysisStages, previous?: quality.Quad | null): quality.FrameMetrics {
    if (Math.max(frame.width, frame.height) <= MAX_ANALYSED_SIDE) return this.analyzeAsIs(frame, thresholds, stages, previous);
    // A larger frame is analysed halved (see MAX_ANALYSED_SIDE), its outline scaled back to its own pixels.
    const started = performance.now();
    let analysed = frame;
    let factor = 1;
    while (Math.max(analysed.width, analysed.height) > MAX_ANALYSED_SIDE) {
      analysed = halved(analysed);
      factor *= 2;
    }
    if (stages) stages.prepare += performance.now() - started;
    const scaled = (quad: quality.Quad, by: number): quality.Quad => [quad[0], quad[1], quad[2], quad[3]].map((p) => ({ x: p.x * by, y: p.y * by })) as [quality.Point, quality.Point, quality.Point, quality.Point];
    const metrics = this.analyzeAsIs(analysed, thresholds, stages, previous ? scaled(previous, 1 / factor) : previous);
    const document = metrics.document && { ...metrics.document, corners: scaled(metrics.document.corners, factor), cornerMarginPx: metrics.document.cornerMarginPx * factor };
    return { ...metrics, frameWidth: frame.width, frameHeight: frame.height, document };
  }

  private analyzeAsIs(frame: RgbaImage, thresholds: quality.QualityThresholds, stages?: AnalysisStages, previous?: quality.Quad | null): quality.FrameMetrics {
    const scope = new MatScope(this.cv);
    let last = performance.now();
    const lap = (stage: keyof AnalysisStages): void => {
      const now = performance.now();
      if (stages) stages[stage] += now - last;
      last = now;
    };
    try {
      const buffers = this.buffersFor(frame);
      // Full-resolution reads (corner refinement, edge support) go to the frame's own pixels, in JS.
      const search = searchFrame({ data: frame.data, width: frame.width, height: frame.height, channels: 4, used: 3 }, buffers.scale);
      const tracked = previous ? trackOutline(previous, search) : null;
      if (!tracked) buffers.reduce(frame.data);
      lap('prepare');
      const corners = tracked ?? findDocument(this.cv, buffers, search, scope);
      lap('detect');
      if (!corners) {
        const metrics = { frameWidth: frame.width, frameHeight: frame.height, document: null, ...wholeFrameMetrics(buffers, thresholds) };
        lap('measure');
        return metrics;
      }
      const document: quality.DocumentMetrics = {
        corners,
        widthFraction: quality.widthFraction(corners, frame.width),
        tiltDeg: tiltOf(corners, frame, thresholds),
        cornerMarginPx: quality.cornerMarginPx(corners, frame.width, frame.height),
      };
      const metrics = { frameWidth: frame.width, frameHeight: frame.height, document, ...documentMetrics(this.cv, frame, buffers.rgba, corners, thresholds, scope) };
      lap('measure');
      return metrics;
    } finally {
      scope.dispose();
    }
  }

  private buffersFor(frame: RgbaImage): FrameBuffers {
    if (!this.buffers?.fits(frame.width, frame.height)) {
      this.buffers?.delete();
      this.buffers = new FrameBuffers(this.cv, frame.width, frame.height);
    }
    return this.buffers;
  }
}

/**
 * Longest frame side analysed as it is: a larger frame (a phone's 12-MP photo, a 4K camera) is halved until
 * within it, analysed, and its outline scaled back. The search was tuned on 1280x720 and reads 1920x1080 alike;
 * analysed whole, 3840x2160 frames lost documents and corners (150 frames, seeds 610000: found 95.6 -> 97.8%,
 * corners within 5% 94.4 -> 97.2% halved; 4032x3024: corners 96.6 -> 99.2%, clean and false captures the same).
 */
const MAX_ANALYSED_SIDE = 2560;

/**
 * Weight of the aspect's fit in the focal length the tilt is read with (`quality.PoseOptions.aspectWeight`).
 * eval:quality, tuning sets 380000/60000/100000/130000 (dumped quads, the tilt recomputed): tilt
 * precision / recall 85.7 / 90.5 at 1 -> 88.3 / 92.0 at 0.25 (89.6 / 92.5 at 0.1, but worse than 1 on
 * 400000 and held cards, where 0.25 gains too: 80.3 / 85.3 -> 82.6 / 86.0); error median 0.15 -> 0.20 degrees.
 */
const TILT_ASPECT_WEIGHT = 0.25;
/**
 * Longest focal length the tilt is read with, as a fraction of the frame's longer side: a 3x telephoto
 * lens (77 mm equivalent) is 2.14. With little perspective the fit hardly tells focal lengths apart, and
 * a quad a few percent off the card (a side on a band's edge) ran to the search's bound (3), reading a
 * card tilted 6-10 degrees at 15-24 (with the true focal length those quads read within 1-2 degrees).
 * eval:quality, the six sets' dumped outlines (380000/60000/100000/130000/400000/420000) with the tilt
 * recomputed: precision / recall 88.3 / 91.3 at 3 -> 90.0 / 91.3 at 2.2 (91.0 / 91.0 at 1.8); held
 * cards (360000, 410000) 71.1 / 86.5 -> 72.7 / 86.5.
 */
const TILT_MAX_FOCAL_FRACTION = 2.2;

/** Tilt with the session's focal length when it has one, else with the focal length the quad itself implies. */
function tiltOf(corners: quality.Quad, frame: RgbaImage, thresholds: quality.QualityThresholds): number {
  if (thresholds.focalLengthFraction > 0) return quality.estimateTiltDeg(corners, frame.width, frame.height, thresholds.focalLengthFraction * Math.max(frame.width, frame.height));
  return quality.estimatePose(corners, frame.width, frame.height, { aspectWeight: TILT_ASPECT_WEIGHT, maxFocalFraction: TILT_MAX_FOCAL_FRACTION }).tiltDeg;
}
