import type { GrayImage } from './refine-corners.ts';
import type { Point } from './types.ts';

/** Sharpness, lighting and glare of one region of a gray image. */
export interface RegionStats {
  /** Variance of the 4-neighbour Laplacian. */
  sharpness: number;
  /** Mean gray level. */
  brightness: number;
  /** Standard deviation of the gray level. */
  contrast: number;
  /** Fraction of pixels at or above the glare level. */
  glareFraction: number;
  /** Pixels measured. */
  pixels: number;
}

/**
 * One pass over the pixels whose centres lie inside a convex polygon (the whole image when it is
 * omitted): the Laplacian's variance, the gray level's mean and deviation, and the glare fraction.
 * Fused into one loop because it is the per-frame hot path: separately, OpenCV.js (no SIMD) takes
 * about three times as long for the Laplacian, two masked means and a threshold.
 * Pixels on the image border are skipped, as their Laplacian would need pixels outside. With
 * `rowStep` > 1 only every so many rows are read: an unbiased estimate of the same statistics.
 */
export function regionStats(image: GrayImage, glareLevel: number, polygon?: readonly Point[], rowStep = 1): RegionStats {
  const { data, width, height } = image;
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  let lapSum = 0;
  let lapSquares = 0;
  let glare = 0;
  for (let y = 1; y < height - 1; y += rowStep) {
    const span = polygon ? rowSpan(polygon, y + 0.5) : ([0, width] as const);
    if (!span) continue;
    const from = Math.max(1, Math.ceil(span[0] - 0.5));
    const to = Math.min(width - 2, Math.floor(span[1] - 0.5));
    let i = y * width + from;
    for (let x = from; x <= to; x++, i++) {
      const v = data[i]!;
      const lap = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * v;
      sum += v;
      sumSquares += v * v;
      lapSum += lap;
      lapSquares += lap * lap;
      if (v >= glareLevel) glare++;
    }
    count += Math.max(0, to - from + 1);
  }
  if (count === 0) return { sharpness: 0, brightness: 0, contrast: 0, glareFraction: 0, pixels: 0 };
  const mean = sum / count;
  const lapMean = lapSum / count;
  return {
    sharpness: Math.max(0, lapSquares / count - lapMean * lapMean),
    brightness: mean,
    contrast: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)),
    glareFraction: glare / count,
    pixels: count,
  };
}

/** Where the horizontal line at `y` crosses a convex polygon: [left, right], or `null` when it misses it. */
function rowSpan(polygon: readonly Point[], y: number): readonly [number, number] | null {
  let left = Infinity;
  let right = -Infinity;
  for (let k = 0; k < polygon.length; k++) {
    const a = polygon[k]!;
    const b = polygon[(k + 1) % polygon.length]!;
    if ((a.y <= y && b.y > y) || (b.y <= y && a.y > y)) {
      const x = a.x + ((y - a.y) / (b.y - a.y)) * (b.x - a.x);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return left <= right ? [left, right] : null;
}
