import type { document as coreDocument } from '@ekyc/core';

/** One MRZ line cut from the rectified document: 8-bit gray, dark text on light. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * An OCR engine reading one MRZ line at a time, with per-character confidences and alternatives. An
 * engine may offer several readings of a line (e.g. at different scales); each is one voter in the merge.
 */
export interface MrzReader {
  readonly engine: string;
  /** Readings available per line (variant 0 always runs; later ones only when the merge needs them). */
  readonly variants: number;
  readLine(line: GrayImage, variant: number): Promise<coreDocument.OcrLineRead>;
  /** Milliseconds (and counts) per stage of this engine since the last call, for benchmarks. */
  takeStages?(): Record<string, number>;
  close(): Promise<void>;
}

/** Characters an MRZ holds. */
export const MRZ_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/**
 * Rows holding the line's ink (darker than the midpoint of the crop's range), or null for a blank crop.
 * The crop may catch the edge of a neighbouring MRZ line (TD1 lines are 4.2 mm apart): the band kept is
 * the run of rows around the line's busiest rows, grown while rows still hold ink.
 */
export function inkRows(line: GrayImage): { top: number; bottom: number } | null {
  let min = 255;
  let max = 0;
  for (const v of line.data) { if (v < min) min = v; if (v > max) max = v; }
  if (max - min < 30) return null;
  const threshold = (min + max) / 2;
  const counts = new Array<number>(line.height).fill(0);
  for (let y = 0; y < line.height; y++) for (let x = 0; x < line.width; x++) if (line.data[y * line.width + x]! < threshold) counts[y]!++;
  // Rows with at least 2% of the width inked: stray specks of a neighbouring line do not count.
  const minInk = Math.max(2, 0.02 * line.width);
  const peak = Math.max(...counts);
  if (peak < minInk) return null;
  // The core: the run of rows with a fair share of the busiest row's ink holding the most ink.
  let core: { top: number; bottom: number; ink: number } | undefined;
  for (let y = 0; y < line.height;) {
    if (counts[y]! < 0.2 * peak) { y++; continue; }
    let end = y;
    let ink = 0;
    while (end < line.height && counts[end]! >= 0.2 * peak) ink += counts[end++]!;
    if (!core || ink > core.ink) core = { top: y, bottom: end - 1, ink };
    y = end;
  }
  let { top, bottom } = core!;
  // Grown by at most a quarter of its height each way (blur fills the gap to the next line with ink).
  const grow = Math.ceil(0.25 * (core!.bottom - core!.top + 1));
  while (top > 0 && core!.top - top < grow && counts[top - 1]! >= minInk) top--;
  while (bottom < line.height - 1 && bottom - core!.bottom < grow && counts[bottom + 1]! >= minInk) bottom++;
  return { top, bottom };
}

/** The line re-cut to its ink height times `factor`, centred (clamped to the crop). */
export function recropToInk(line: GrayImage, factor: number): GrayImage {
  const ink = inkRows(line);
  if (!ink) return line;
  const h = Math.max(8, Math.round((ink.bottom - ink.top + 1) * factor));
  const centre = (ink.top + ink.bottom + 1) / 2;
  const y0 = Math.max(0, Math.min(line.height - h, Math.round(centre - h / 2)));
  const height = Math.min(h, line.height - y0);
  return { width: line.width, height, data: line.data.slice(y0 * line.width, (y0 + height) * line.width) };
}
