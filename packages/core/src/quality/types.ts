import type { Point } from '../image/point.ts';

export type { Point };

/**
 * Document corners in order: top-left, top-right, bottom-right, bottom-left (as seen in the frame), in
 * pixels with the origin at the top-left pixel's corner (a pixel's centre is at +0.5).
 */
export type Quad = readonly [Point, Point, Point, Point];

/** What the user should do, most important first; `good` only when nothing is left to fix. */
export type GuidanceCode =
  | 'no_document'
  | 'move_closer'
  | 'move_farther'
  | 'align_document'
  | 'too_dark'
  | 'too_bright'
  | 'reduce_glare'
  | 'hold_steady'
  | 'good';

/** Every check the quality gate runs on a frame. */
export type QualityCheckName = 'document' | 'distance' | 'cutoff' | 'tilt' | 'shape' | 'focus' | 'glare' | 'lighting' | 'stability';

export interface DocumentMetrics {
  corners: Quad;
  /** Mean length of the top and bottom edges divided by the frame width. */
  widthFraction: number;
  /** Angle between the document plane and the image plane, degrees (0 = facing the camera). */
  tiltDeg: number;
  /** Smallest distance from a corner to the frame border in px; negative when a corner is outside. */
  cornerMarginPx: number;
}

/** Measurements of one frame, as produced by the worker (no decisions yet). */
export interface FrameMetrics {
  frameWidth: number;
  frameHeight: number;
  /** `null` when no document was found. */
  document: DocumentMetrics | null;
  /** Variance of the Laplacian of the document rectified to the reference width (the frame centre without a document). */
  sharpness: number;
  /**
   * Blur of the print's edges, px at the reference width: the sigma of the Gaussian whose steepest
   * slope over a step matches theirs (see `edgeBlurSigma`), whatever the exposure or the print's
   * contrast. Absent without a document or when it has too few print edges to say.
   */
  edgeBlur?: number;
  /**
   * Specular glare: fraction (0..1) of the whole document under the flat core of specular highlights:
   * round clipped blobs with no print left inside and a falloff around them (see `hotspotFraction`); print
   * clipped by the exposure (backdrops, bands) does not count. 0 without a document.
   */
  glareFraction: number;
  /** Mean gray level (0..255) of the document, or of the frame without one. */
  brightness: number;
  /** Standard deviation of the gray level over the same region. */
  contrast: number;
  /** Fraction (0..1) of the same pixels at or above the clipping level (`glareLevel`): hotspots and white stock alike. */
  clippedFraction: number;
  /** 5th percentile of the gray level: the darkest printed content (text, portrait). */
  darkLevel: number;
  /** Median gray level: the stock's level on most documents. */
  medianLevel: number;
  /**
   * Share (0..1) of the document's clipped blank blocks that still show light print, read as light
   * taken off the clipped stock, which blur keeps (see `lightPrintShare`); absent when too little of the stock is clipped to say, or without a document.
   */
  lightPrintShare?: number;
  /**
   * Share (0..1) of the same blocks whose darkest pixel lies at least 16 levels under the clipped
   * stock: light print that still prints (see `LightPrint.depthShare`); absent when `lightPrintShare` is.
   */
  printDepthShare?: number;
}

export type CheckResults = Record<QualityCheckName, boolean>;

export interface FrameAssessment {
  metrics: FrameMetrics;
  /** Mean corner displacement since the previous frame, as a fraction of the frame width; 0 for still images. */
  motion: number;
  checks: CheckResults;
  guidance: GuidanceCode[];
  /** Consecutive frames, up to this one, that passed every check. */
  stableFrames: number;
  /** True on the one frame where auto-capture fires. */
  capture: boolean;
}
