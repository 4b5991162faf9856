import type { QualityThresholds } from './thresholds.ts';
import type { FrameMetrics } from './types.ts';

/**
 * Whether the document is in focus: one notion for the focus check and for the exposure rule that
 * reads the print's darkest pixels (see `judgeExposure`). The print's edges decide wherever they
 * were read (`edgeBlur` at most `maxEdgeBlur`), else the Laplacian's variance (`minSharpness`). The
 * variance falls with the print's contrast (a frame at gain 0.3 keeps a tenth of it) and on a region
 * with little print, and rises with sensor noise and dense print, so a blurred document can read over
 * `minSharpness` (the worker reads the edges up to twice it). Without an edge reading the variance
 * alone decides.
 */
export function inFocus(m: Pick<FrameMetrics, 'sharpness' | 'edgeBlur'>, t: Pick<QualityThresholds, 'minSharpness' | 'maxEdgeBlur'>): boolean {
  if (t.maxEdgeBlur > 0 && m.edgeBlur !== undefined) return m.edgeBlur <= t.maxEdgeBlur;
  return m.sharpness >= t.minSharpness;
}
