import type { GrayImage } from './refine-corners.ts';
import type { Point } from './types.ts';
import { rowSpan } from './geometry.ts';

/** Per-block sums over a grid of square blocks (what the highlight analysis reads). */
export interface BlockGrid {
  /** Block side, px. */
  size: number;
  /** Rows read (every `rowStep`-th) and the level counted as clipped, as in the pass that filled the grid. */
  rowStep: number;
  clipLevel: number;
  columns: number;
  rows: number;
  /** Per block, row-major: pixels measured, sum and sum of squares of their gray levels, how many are clipped. */
  count: Uint32Array;
  sum: Float64Array;
  sumSquares: Float64Array;
  clipped: Uint32Array;
  /** Per block: sum of the squared Laplacian (print texture; a smooth ramp of light has next to none). */
  laplacianSquares: Float64Array;
  /** Per block: brightest gray level (on most blocks, the stock between the print). */
  max: Uint8Array;
  /** Per block: darkest gray level (high on blank stock: no text, field or portrait in the block). */
  min: Uint8Array;
}

/** Sharpness, lighting and highlight statistics of one region of a gray image. */
export interface RegionStats {
  /** Variance of the 4-neighbour Laplacian. */
  sharpness: number;
  /** Mean gray level (over `meanPolygon` when given). */
  brightness: number;
  /** Standard deviation of the gray level. */
  contrast: number;
  /** Fraction of pixels at or above the clipping level. */
  clippedFraction: number;
  /** 5th percentile of the gray level: where the darkest printed content (text, lines, portrait) sits. */
  darkLevel: number;
  /** Median gray level. */
  medianLevel: number;
  /** Pixels measured. */
  pixels: number;
  /** Block sums, when a block size was asked for. */
  blocks?: BlockGrid;
}

export interface RegionStatsOptions {
  /** Convex polygon whose pixels (by centre) are measured; the whole image when omitted. */
  polygon?: readonly Point[];
  /** Read only every so many rows: an unbiased estimate of the same statistics. */
  rowStep?: number;
  /** Side of the blocks to sum per block (0: none). */
  blockSize?: number;
  /**
   * Convex polygon over which `brightness` alone is measured, when it is not `polygon`: the document's
   * own outline, where the other statistics are read on an inset (its edges are no print). It holds
   * `polygon`; the rows read are the same.
   */
  meanPolygon?: readonly Point[];
}

/**
 * One pass over the pixels whose centres lie inside a convex polygon (the whole image when it is
 * omitted): the Laplacian's variance, the gray level's mean, deviation and histogram, the clipped
 * fraction and, optionally, the same sums per block. Fused into one loop because it is the per-frame
 * hot path: separately, OpenCV.js (no SIMD) takes about three times as long.
 * Pixels on the image border are skipped, as their Laplacian would need pixels outside.
 */
export function regionStats(image: GrayImage, clipLevel: number, options: RegionStatsOptions = {}): RegionStats {
  const { data, width, height } = image;
  const { polygon, rowStep = 1, blockSize = 0, meanPolygon } = options;
  const histogram = new Uint32Array(256);
  const blocks = blockSize > 0 ? blockGrid(width, height, blockSize, rowStep, clipLevel) : undefined;
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  let lapSum = 0;
  let lapSquares = 0;
  // The grid's arrays as locals, and each run's block counted on rather than found again: the per-run
  // bookkeeping was 0.4 of the pass's 1.0 ms on a 640 x 405 document (Node, 16-px blocks).
  const runLength = blocks ? blockSize : width;
  const columns = blocks ? blocks.columns : 1;
  // Without a grid, the run's sums go to a grid of one block that is thrown away.
  const grid = blocks ?? blockGrid(1, 1, 1, rowStep, clipLevel);
  const { count: blockCount, sum: blockSum, sumSquares: blockSquares, laplacianSquares: blockLaplacian, clipped: blockClipped, max: blockMax, min: blockMin } = grid;
  // The least integer level counted as clipped (levels are integers; NaN: none).
  const clipFrom = Math.min(256, Math.max(0, Math.ceil(clipLevel)));
  // The mean's own sums: the pixels of `meanPolygon` outside `polygon` (its margin) are added to them.
  let meanCount = 0;
  let meanSum = 0;
  for (let y = 1; y < height - 1; y += rowStep) {
    const span = polygon ? rowSpan(polygon, y + 0.5) : ([0, width] as const);
    const from = span ? Math.max(1, Math.ceil(span[0] - 0.5)) : width;
    const to = span ? Math.min(width - 2, Math.floor(span[1] - 0.5)) : width - 1;
    const meanSpan = meanPolygon ? rowSpan(meanPolygon, y + 0.5) : null;
    if (meanSpan) {
      const rowAt = y * width;
      const meanFrom = Math.max(1, Math.ceil(meanSpan[0] - 0.5));
      const meanTo = Math.min(width - 2, Math.floor(meanSpan[1] - 0.5));
      // Left of the span measured, then right of it (the whole row's span where none is measured).
      const leftTo = Math.min(meanTo, from - 1);
      for (let i = rowAt + meanFrom, end = rowAt + leftTo; i <= end; i++) meanSum += data[i]!;
      meanCount += Math.max(0, leftTo - meanFrom + 1);
      const rightFrom = Math.max(meanFrom, to + 1, leftTo + 1);
      for (let i = rowAt + rightFrom, end = rowAt + meanTo; i <= end; i++) meanSum += data[i]!;
      meanCount += Math.max(0, meanTo - rightFrom + 1);
    }
    if (!span) continue;
    const rowAt = y * width;
    // The row in runs that stay within one block, so that per-block sums are added once per run.
    let b = blocks ? Math.floor(y / blockSize) * columns + Math.floor(from / blockSize) : 0;
    const step = blocks ? 1 : 0;
    let runTo = Math.min(to, (Math.floor(from / runLength) + 1) * runLength - 1);
    for (let runFrom = from; runFrom <= to; runFrom = runTo + 1, runTo = Math.min(to, runTo + runLength), b += step) {
      let runSum = 0;
      let runSquares = 0;
      let runLaplacian = 0;
      let runClipped = 0;
      let runMax = 0;
      let runMin = 255;
      // Two pixels a step, the row's pixel and its left neighbour carried over from the step before (three
      // reads a pixel, not five): -17% of the pass in Node. The sums are integers, so their order is free.
      let left = data[rowAt + runFrom - 1]!;
      let v = data[rowAt + runFrom]!;
      let i = rowAt + runFrom;
      const end = rowAt + runTo;
      for (; i < end; i += 2) {
        const right = data[i + 1]!;
        const next = data[i + 2]!;
        const lap = left + right + data[i - width]! + data[i + width]! - 4 * v;
        const lapRight = v + next + data[i + 1 - width]! + data[i + 1 + width]! - 4 * right;
        runSum += v + right;
        runSquares += v * v + right * right;
        lapSum += lap + lapRight;
        runLaplacian += lap * lap + lapRight * lapRight;
        histogram[v]!++;
        histogram[right]!++;
        // Without branches (mispredicted often on print: 0.2 of the pass's 1.0 ms): v >= clipLevel as the
        // sign bit of clipFrom - 1 - v; max and min through a mask that is all ones where v is beyond.
        runClipped += ((clipFrom - 1 - v) >>> 31) + ((clipFrom - 1 - right) >>> 31);
        runMax ^= (runMax ^ v) & ((runMax - v) >> 31);
        runMin ^= (runMin ^ v) & ((v - runMin) >> 31);
        runMax ^= (runMax ^ right) & ((runMax - right) >> 31);
        runMin ^= (runMin ^ right) & ((right - runMin) >> 31);
        left = right;
        v = next;
      }
      // An odd run's last pixel.
      if (i === end) {
        const lap = left + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * v;
        runSum += v;
        runSquares += v * v;
        lapSum += lap;
        runLaplacian += lap * lap;
        histogram[v]!++;
        runClipped += (clipFrom - 1 - v) >>> 31;
        runMax ^= (runMax ^ v) & ((runMax - v) >> 31);
        runMin ^= (runMin ^ v) & ((v - runMin) >> 31);
      }
      sum += runSum;
      sumSquares += runSquares;
      lapSquares += runLaplacian;
      blockCount[b]! += runTo - runFrom + 1;
      blockSum[b]! += runSum;
      blockSquares[b]! += runSquares;
      blockLaplacian[b]! += runLaplacian;
      blockClipped[b]! += runClipped;
      if (runMax > blockMax[b]!) blockMax[b] = runMax;
      if (runMin < blockMin[b]!) blockMin[b] = runMin;
    }
    count += Math.max(0, to - from + 1);
  }
  if (count === 0) return { sharpness: 0, brightness: meanCount > 0 ? meanSum / meanCount : 0, contrast: 0, clippedFraction: 0, darkLevel: 0, medianLevel: 0, pixels: 0, ...(blocks ? { blocks } : {}) };
  const mean = sum / count;
  const lapMean = lapSum / count;
  let clipped = 0;
  for (let v = Math.max(0, Math.ceil(clipLevel)); v < 256; v++) clipped += histogram[v]!;
  return {
    sharpness: Math.max(0, lapSquares / count - lapMean * lapMean),
    brightness: meanPolygon ? (sum + meanSum) / (count + meanCount) : mean,
    contrast: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)),
    clippedFraction: clipped / count,
    darkLevel: percentile(histogram, count, 0.05),
    medianLevel: percentile(histogram, count, 0.5),
    pixels: count,
    ...(blocks ? { blocks } : {}),
  };
}

function blockGrid(width: number, height: number, size: number, rowStep: number, clipLevel: number): BlockGrid {
  const columns = Math.ceil(width / size);
  const rows = Math.ceil(height / size);
  const n = columns * rows;
  return { size, rowStep, clipLevel, columns, rows, count: new Uint32Array(n), sum: new Float64Array(n), sumSquares: new Float64Array(n), clipped: new Uint32Array(n), laplacianSquares: new Float64Array(n), max: new Uint8Array(n), min: new Uint8Array(n).fill(255) };
}

/** The gray level below which `q` of the `count` pixels of a histogram lie. */
function percentile(histogram: Uint32Array, count: number, q: number): number {
  const target = q * count;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen > target) return v;
  }
  return 255;
}
