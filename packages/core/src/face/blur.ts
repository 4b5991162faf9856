import type { RgbaImage } from '../image/rgba.ts';
import { toGray } from './image.ts';

/**
 * Variance of the 4-neighbour Laplacian of the luma: the usual focus measure (higher is sharper).
 * Computed on a fixed-size face crop so the number does not depend on the camera's resolution.
 */
export function laplacianVariance(image: RgbaImage): number {
  const gray = toGray(image);
  const { width: w, height: h } = image;
  if (w < 3 || h < 3) return 0;
  let sum = 0, sumSq = 0, count = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const lap = gray[i - 1]! + gray[i + 1]! + gray[i - w]! + gray[i + w]! - 4 * gray[i]!;
      sum += lap; sumSq += lap * lap; count++;
    }
  }
  const mean = sum / count;
  return sumSq / count - mean * mean;
}
