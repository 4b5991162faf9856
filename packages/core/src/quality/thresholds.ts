import { EkycError } from '../errors.ts';

/**
 * The session's quality gate. Defaults follow what document-capture SDKs commonly ship:
 * Laplacian variance > 100 at a reference scale, glare < 5% of the document, brightness 80–200,
 * tilt < 15°, document 50–90% of the frame width.
 */
export interface QualityThresholds {
  /** Minimum Laplacian variance of the document rectified to `referenceWidth` px. */
  minSharpness: number;
  /** Width in px the document is rectified to before sharpness, glare and lighting are measured. */
  referenceWidth: number;
  /** Gray level at or above which a pixel counts as specular glare. */
  glareLevel: number;
  maxGlareFraction: number;
  minBrightness: number;
  maxBrightness: number;
  /** Minimum gray-level standard deviation; below it the document is washed out or in the dark. */
  minContrast: number;
  maxTiltDeg: number;
  minWidthFraction: number;
  maxWidthFraction: number;
  /** Corners must stay this far inside the frame, as a fraction of the frame's shorter side. */
  cornerMarginFraction: number;
  /** Largest mean corner motion between two frames, as a fraction of the frame width, that still counts as steady. */
  maxMotion: number;
  /** Consecutive good, steady frames before auto-capture fires. */
  stableFramesToCapture: number;
  /** Assumed focal length as a fraction of the frame's longer side (phone main cameras: 0.7–0.9). Used for tilt. */
  focalLengthFraction: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  minSharpness: 100,
  referenceWidth: 640,
  glareLevel: 250,
  maxGlareFraction: 0.05,
  minBrightness: 80,
  maxBrightness: 200,
  minContrast: 20,
  maxTiltDeg: 15,
  minWidthFraction: 0.5,
  maxWidthFraction: 0.9,
  cornerMarginFraction: 0.02,
  maxMotion: 0.01,
  stableFramesToCapture: 5,
  focalLengthFraction: 0.8,
});

type Range = readonly [number, number];

const LIMITS: Record<keyof QualityThresholds, Range> = {
  minSharpness: [0, 1e6],
  referenceWidth: [64, 4096],
  glareLevel: [1, 255],
  maxGlareFraction: [0, 1],
  minBrightness: [0, 255],
  maxBrightness: [0, 255],
  minContrast: [0, 255],
  maxTiltDeg: [0, 90],
  minWidthFraction: [0, 1],
  maxWidthFraction: [0, 1],
  cornerMarginFraction: [0, 0.5],
  maxMotion: [0, 1],
  stableFramesToCapture: [1, 1000],
  focalLengthFraction: [0.1, 10],
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
