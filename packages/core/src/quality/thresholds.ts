import { EkycError } from '../errors.ts';

/**
 * The session's quality gate. Defaults follow what document-capture SDKs commonly ship:
 * Laplacian variance > 100 at a reference scale, glare < 5% of the document, brightness 80–200,
 * tilt < 15°, document 50–90% of the frame width. Glare is measured as hotspots, not as bright
 * pixels, and brightness above 200 is one input of exposure, not the rule (a light card is bright).
 */
export interface QualityThresholds {
  /** Minimum Laplacian variance of the document rectified to `referenceWidth` px. */
  minSharpness: number;
  /**
   * Blur (px at `referenceWidth`) of the print's edges above which a document is out of focus,
   * wherever they are read (see `inFocus`). The edges read the lens's blur and the print's own edge
   * together, in quadrature: sqrt(lens^2 + print^2). 1.4 is the lens's 1.2 px (where the label calls a
   * frame blurred) on top of a print edge of 0.76-0.83 px (median of sqrt(read^2 - lens^2) over sharp
   * frames, lens under 0.6 px, on the eight pooled quality sets): 1.42-1.46, rounded down (a blurred
   * capture costs the reader more than a few more frames of holding still). Since session 21 the edges
   * of print on a band lighter than the stock are left out (`EdgeBlurOptions.maxBrightOverStock`) and a
   * lens blur of 1.2 px reads 1.52-1.54 on the six tuning sets; 1.4 is kept for the same reason (1.45:
   * false captures 11 -> 13 of 1,434, focus precision 91.4 -> 93.2%). 0: the sharpness rule alone.
   */
  maxEdgeBlur: number;
  /** Width in px the document is rectified to before sharpness, glare and lighting are measured. */
  referenceWidth: number;
  /** Gray level at or above which a pixel counts as clipped (saturated): what glare hotspots and over-exposure are made of. */
  glareLevel: number;
  /** Largest share of the document in specular hotspots (see `FrameMetrics.glareFraction`). */
  maxGlareFraction: number;
  /** Mean gray level below which the document is too dark. */
  minBrightness: number;
  /** Mean gray level above which a document is too bright, but only when its print has lost contrast too (see `judgeExposure`). */
  maxBrightness: number;
  /** Largest clipped share of the document outside glare hotspots while its print still has contrast (white stock clips evenly). */
  maxClippedFraction: number;
  /** Highest level (gray) the darkest print (5th percentile) of a bright document may be lifted to. */
  maxDarkLevel: number;
  /** Smallest gap (gray levels) between a bright document's median and its darkest print (5th percentile). */
  minPrintContrast: number;
  /** Smallest share of a bright, clipped document's clipped blank blocks that must still show light print (`lightPrintShare`). */
  minLightPrintShare: number;
  /** Smallest share of those blocks whose light print must still lie 16 levels under the clipped stock, on a document in focus (`printDepthShare`). */
  minPrintDepthShare: number;
  /** Minimum gray-level standard deviation; below it the document is washed out or in the dark. */
  minContrast: number;
  maxTiltDeg: number;
  /**
   * Largest distance (|log ratio|) between the outline's aspect, rectified at the pose it implies, and
   * the nearest document format's (ID-1, ID-2, ID-3, either way up; see `formatAspectError`). An outline
   * further off is not the whole document but a part of it (its stretch above the MRZ band, below a
   * line of its print) or more than it (the background's lines beside it), and its crop would be wrong.
   * On 3,192 found outlines of 13 quality sets (#18, session 30) none within 5% of the card's corners read
   * over 0.05; the outlines judged good that read over 0.08 were 19-21% off the card's corners (3) or
   * false captures (2).
   * 0.08 leaves room for an MRV-A visa (1.5: 0.056 from ID-1) and for a real lens's distortion.
   */
  maxShapeError: number;
  minWidthFraction: number;
  maxWidthFraction: number;
  /** Corners must stay this far inside the frame, as a fraction of the frame's shorter side. */
  cornerMarginFraction: number;
  /** Largest mean corner motion between two frames, as a fraction of the frame width, that still counts as steady. */
  maxMotion: number;
  /** Consecutive good, steady frames before auto-capture fires. */
  stableFramesToCapture: number;
  /**
   * Focal length as a fraction of the frame's longer side, for tilt. 0 (the default): estimated from
   * the quad itself (right angles and the ID-1/ID-2/ID-3 aspect ratio, see `estimatePose`).
   */
  focalLengthFraction: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  minSharpness: 100,
  maxEdgeBlur: 1.4,
  referenceWidth: 640,
  glareLevel: 250,
  maxGlareFraction: 0.05,
  minBrightness: 80,
  maxBrightness: 200,
  maxClippedFraction: 0.3,
  maxDarkLevel: 140,
  minPrintContrast: 60,
  minLightPrintShare: 0.2,
  minPrintDepthShare: 0.1,
  minContrast: 10,
  maxTiltDeg: 15,
  maxShapeError: 0.08,
  minWidthFraction: 0.5,
  maxWidthFraction: 0.9,
  cornerMarginFraction: 0.02,
  maxMotion: 0.01,
  stableFramesToCapture: 5,
  focalLengthFraction: 0,
});

type Range = readonly [number, number];

const LIMITS: Record<keyof QualityThresholds, Range> = {
  minSharpness: [0, 1e6],
  maxEdgeBlur: [0, 100],
  referenceWidth: [64, 4096],
  glareLevel: [1, 255],
  maxGlareFraction: [0, 1],
  minBrightness: [0, 255],
  maxBrightness: [0, 255],
  maxClippedFraction: [0, 1],
  maxDarkLevel: [0, 255],
  minPrintContrast: [0, 255],
  minLightPrintShare: [0, 1],
  minPrintDepthShare: [0, 1],
  minContrast: [0, 255],
  maxTiltDeg: [0, 90],
  maxShapeError: [0, 10],
  minWidthFraction: [0, 1],
  maxWidthFraction: [0, 1],
  cornerMarginFraction: [0, 0.5],
  maxMotion: [0, 1],
  stableFramesToCapture: [1, 1000],
  focalLengthFraction: [0, 10],
};

/** Session config over the defaults; throws `invalid_argument` for values outside their meaning. */
export function resolveQualityThresholds(overrides: Partial<QualityThresholds> = {}): QualityThresholds {
  const resolved: QualityThresholds = { ...DEFAULT_QUALITY_THRESHOLDS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(LIMITS, key)) {
      throw new EkycError('invalid_argument', `Unknown quality threshold "${key}"`, { details: { key } });
    }
    const name = key as keyof QualityThresholds;
    const [min, max] = LIMITS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new EkycError('invalid_argument', `Quality threshold "${key}" must be a number in [${min}, ${max}]`, { details: { key, min, max } });
    }
    resolved[name] = value;
  }
  if (resolved.minBrightness > resolved.maxBrightness || resolved.minWidthFraction > resolved.maxWidthFraction) {
    throw new EkycError('invalid_argument', 'A quality threshold range has its minimum above its maximum');
  }
  resolved.stableFramesToCapture = Math.round(resolved.stableFramesToCapture);
  return resolved;
}
