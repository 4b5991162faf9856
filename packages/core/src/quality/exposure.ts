import type { QualityThresholds } from './thresholds.ts';
import type { FrameMetrics } from './types.ts';

export type ExposureVerdict = 'ok' | 'too_dark' | 'too_bright';

type ExposureMetrics = Pick<FrameMetrics, 'brightness' | 'contrast' | 'clippedFraction' | 'darkLevel' | 'medianLevel' | 'glareFraction'>;

/**
 * Exposure from clipping and from the contrast of the printed content, the mean being one input.
 * Too dark: the mean rule (below `minBrightness`), or no contrast at a lowish level.
 * Too bright: a bright document (mean above `maxBrightness` and clipped outside its glare hotspots
 * over more than `maxClippedFraction`: over-exposure is clipping) whose print has lost its contrast: its darkest print (5th
 * percentile) lifted above `maxDarkLevel`, or within `minPrintContrast` of its median. A well-exposed
 * light or white card is bright and may be clipped where it is blank, but its text and portrait keep
 * their contrast: it passes.
 */
export function judgeExposure(m: ExposureMetrics, t: QualityThresholds): ExposureVerdict {
  const middle = (t.minBrightness + t.maxBrightness) / 2;
  if (m.brightness < t.minBrightness) return 'too_dark';
  if (m.contrast < t.minContrast) return m.brightness < middle ? 'too_dark' : 'too_bright';
  const printContrast = m.medianLevel - m.darkLevel;
  const clippedOutsideGlare = Math.max(0, m.clippedFraction - m.glareFraction);
  // Both: a light card is bright without clipping (nothing lost), and white stock clips evenly while
  // its mean stays moderate when its print is dense. On the tuning frames (seeds 1000..) either one
  // alone refused well-exposed TD3 pages on white or light stock whose coloured header is not dark.
  const bright = m.brightness > t.maxBrightness && clippedOutsideGlare > t.maxClippedFraction;
  if (bright && (m.darkLevel > t.maxDarkLevel || printContrast < t.minPrintContrast)) return 'too_bright';
  return 'ok';
}
