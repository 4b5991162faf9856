/** The `resolution` check: is the document large enough in the frame to be read? */
import type { EkycErrorCode } from '../errors.ts';
import type { Quad } from '../quality/types.ts';
import { distance } from '../quality/geometry.ts';
import { DOCUMENT_SIZES_MM, MM_PER_INCH, RECTIFY_DPI, type DocumentSizeClass } from './sizes.ts';

export interface ResolutionResult {
  /** Dots per inch the document is captured at (the lesser of its two axes). */
  readonly dpi: number;
  readonly minDpi: number;
  readonly ok: boolean;
  /** `document_resolution_low` when `ok` is false. */
  readonly code: Extract<EkycErrorCode, 'document_resolution_low'> | null;
}

/**
 * Equivalent DPI of a document seen through `quad` (corners TL, TR, BR, BL in frame pixels), taken as
 * the mean of opposite edges on each axis, and the smaller axis counts: a tilted card is limited by its
 * foreshortened side.
 */
export function captureDpi(quad: Quad, size: DocumentSizeClass): number {
  const mm = DOCUMENT_SIZES_MM[size];
  const widthPx = (distance(quad[0], quad[1]) + distance(quad[3], quad[2])) / 2;
  const heightPx = (distance(quad[0], quad[3]) + distance(quad[1], quad[2])) / 2;
  // A quad may be portrait (card held upright): pair the long edge with the long side.
  const longPx = Math.max(widthPx, heightPx);
  const shortPx = Math.min(widthPx, heightPx);
  return Math.min((longPx / mm.widthMm) * MM_PER_INCH, (shortPx / mm.heightMm) * MM_PER_INCH);
}

/** Resolution check; `minDpi` defaults to the rectification target (300 DPI, seed table). */
export function checkResolution(quad: Quad, size: DocumentSizeClass, minDpi: number = RECTIFY_DPI): ResolutionResult {
  const dpi = captureDpi(quad, size);
  const ok = dpi >= minDpi;
  return { dpi, minDpi, ok, code: ok ? null : 'document_resolution_low' };
}

/** The quad of a whole image (an upload with no background: a scan or a tight crop). */
export function wholeImageQuad(width: number, height: number): Quad {
  return [{ x: 0, y: 0 }, { x: width, y: 0 }, { x: width, y: height }, { x: 0, y: height }];
}
