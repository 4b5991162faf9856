import type { BlockGrid } from './region-stats.ts';
import type { GrayImage } from './refine-corners.ts';

export interface EdgeBlurOptions {
  /**
   * Smallest step, as a share of the stock's level, for a block to count as a print edge (the step
   * from the stock down to the darkest pixel around the block): the print's contrast scales with the
   * exposure, so a fixed step would find no edge on a dark frame.
   */
  minStepShare: number;
  /** ... and never under this many gray levels (sensor noise spans about 6). */
  minStep: number;
  /** Blocks read at most (evenly spread over those with an edge): bounds the work per frame. */
  maxBlocks: number;
  /** Fewer edge blocks than this: nothing to judge the focus on (a blank region). */
  minBlocks: number;
  /**
   * Blocks whose bright side is brighter than the stock by more than this many levels are not read: the
   * edge there rises from the print to something lighter than the stock (the MRZ's light band, a white
   * title on the header band, a hotspot's halo), higher than the step read from the stock, so its slope
   * read a blur too small (blurred pastel cards at 1.3-1.6 px read 1.0-1.16; see docs/quality.md).
   */
  maxBrightOverStock: number;
}

export const DEFAULT_EDGE_BLUR_OPTIONS: Readonly<EdgeBlurOptions> = Object.freeze({ minStepShare: 0.3, minStep: 24, maxBlocks: 48, minBlocks: 6, maxBrightOverStock: 8 });

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Blur of the print's edges, as the sigma (px, at the image's scale) of the Gaussian that would give
 * them: a step of height h blurred by sigma has a steepest slope of h / (sigma sqrt(2 pi)), whatever
 * the exposure or the print's contrast. Read on up to `maxBlocks` blocks of the grid wholly inside
 * the outline whose step (from the stock down to the darkest pixel of the block and its 8 neighbours:
 * a blurred edge is wider than one block) is large enough and not clipped at its bright end: per
 * block, the steepest 3x3 Sobel slope on the grid's rows; the document's value is the median over
 * those blocks. `NaN` when fewer than `minBlocks` blocks hold such an edge (nothing printed to judge
 * the focus on, or a clipped stock). Unlike the Laplacian's variance it does not fall with the gain
 * squared on a dark frame, nor on a region with little print. Reads at most `maxBlocks` x 16 x 8
 * pixels (about 6000; 0.1-0.3 ms in Node).
 */
export function edgeBlurSigma(grid: BlockGrid, image: GrayImage, options: EdgeBlurOptions = DEFAULT_EDGE_BLUR_OPTIONS): number {
  const { count, max, min, columns, rows } = grid;
  let fullCount = 0;
  for (let b = 0; b < count.length; b++) fullCount = Math.max(fullCount, count[b]!);
  // The stock's level: the median of the full blocks' brightest pixels.
  const stock = medianFullBlockMax(count, max, fullCount);
  const minStep = Math.max(options.minStep, options.minStepShare * stock);
  const candidates: { block: number; step: number }[] = [];
  for (let b = 0; b < count.length; b++) {
    // Only blocks wholly inside the outline: a cut block may hold the outline's own edge.
    if (fullCount === 0 || count[b]! < fullCount) continue;
    const bx = b % columns;
    const by = Math.floor(b / columns);
    let hi = 0;
    let lo = 255;
    for (let y = Math.max(0, by - 1); y <= Math.min(rows - 1, by + 1); y++) {
      for (let x = Math.max(0, bx - 1); x <= Math.min(columns - 1, bx + 1); x++) {
        const k = y * columns + x;
        if (count[k] === 0) continue;
        hi = Math.max(hi, max[k]!);
        lo = Math.min(lo, min[k]!);
      }
    }
    // A step clipped at its bright end is cut short while its steepest slope is not: it would read
    // sharper than it is (over-exposed blurred frames read 1.3 px for 1.46 px of blur).
    if (hi >= grid.clipLevel || hi > stock + options.maxBrightOverStock) continue;
    // Print is darker than its stock: the step is read from the stock down, so that a hotspot's halo
    // (brighter than the stock, smooth) neither makes a block an edge nor lengthens a step beside it.
    const step = Math.min(hi, stock) - lo;
    // The block's own range must hold part of the step: its steepest slope is read here.
    if (step >= minStep && max[b]! - min[b]! >= minStep / 2) candidates.push({ block: b, step });
  }
  if (candidates.length < options.minBlocks) return Number.NaN;
  // Evenly spread over the document, not the highest steps first: a hotspot's smooth halo has the
  // highest steps on a dark frame and would decide the median.
  const stride = Math.max(1, candidates.length / options.maxBlocks);
  const sigmas: number[] = [];
  const { data, width, height } = image;
  for (let c = 0; c < candidates.length; c += stride) {
    const { block, step } = candidates[Math.floor(c)]!;
    const x0 = Math.max(1, (block % columns) * grid.size);
    const y0 = Math.floor(block / columns) * grid.size;
    const x1 = Math.min(width - 1, x0 + grid.size);
    const y1 = Math.min(height - 1, y0 + grid.size);
    let steepest = 0;
    for (let y = Math.max(1, y0 + ((((1 - y0) % grid.rowStep) + grid.rowStep) % grid.rowStep)); y < y1; y += grid.rowStep) {
      // The 3x3 window's left and middle columns carried over from the pixel before: three reads a pixel.
      const row = y * width + x0;
      let a = data[row - width - 1]!;
      let d = data[row - 1]!;
      let g = data[row + width - 1]!;
      let b = data[row - width]!;
      let e = data[row]!;
      let h = data[row + width]!;
      for (let i = row, end = row + (x1 - x0); i < end; i++) {
        const c = data[i - width + 1]!;
        const f = data[i + 1]!;
        const k = data[i + width + 1]!;
        const gx = c + 2 * f + k - a - 2 * d - g;
        const gy = g + 2 * h + k - a - 2 * b - c;
        const slope = gx * gx + gy * gy;
        if (slope > steepest) steepest = slope;
        a = b;
        d = e;
        g = h;
        b = c;
        e = f;
        h = k;
      }
    }
    // Sobel is 8 times the slope of a ramp.
    const slope = Math.sqrt(steepest) / 8;
    sigmas.push(slope > 0 ? step / (slope * SQRT_2PI) : Infinity);
  }
  sigmas.sort((a, b) => a - b);
  return sigmas[Math.floor(sigmas.length / 2)]!;
}

/**
 * The median (the element at n / 2, rounded down, in ascending order) of the brightest levels of the
 * blocks at least half full; 0 when there are none. Counted per level (they are bytes) rather than sorted.
 */
function medianFullBlockMax(count: Uint32Array, max: Uint8Array, fullCount: number): number {
  if (fullCount === 0) return 0;
  const levels = new Uint32Array(256);
  let n = 0;
  for (let b = 0; b < count.length; b++) {
    if (count[b]! >= fullCount / 2) {
      levels[max[b]!]!++;
      n++;
    }
  }
  const rank = Math.floor(n / 2);
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += levels[v]!;
    if (seen > rank) return v;
  }
  return 0;
}
