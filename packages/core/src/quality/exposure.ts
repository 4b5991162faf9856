import type { GrayImage } from './refine-corners.ts';
import type { BlockGrid } from './region-stats.ts';
import type { QualityThresholds } from './thresholds.ts';
import type { FrameMetrics } from './types.ts';

export type ExposureVerdict = 'ok' | 'too_dark' | 'too_bright';

type ExposureMetrics = Pick<FrameMetrics, 'brightness' | 'contrast' | 'clippedFraction' | 'darkLevel' | 'medianLevel' | 'glareFraction' | 'lightPrintShare' | 'sharpness'>;

/**
 * Exposure from clipping and from the contrast of the printed content, the mean being one input.
 * Too dark: the mean rule (below `minBrightness`), or no contrast at a lowish level.
 * Too bright: a bright document (mean above `maxBrightness` and clipped outside its glare hotspots
 * over more than `maxClippedFraction`: over-exposure is clipping) whose print has lost its contrast: its darkest print (5th
 * percentile) lifted above `maxDarkLevel`, or within `minPrintContrast` of its median; or whose light
 * print is gone where its stock clips (`lightPrintShare` under `minLightPrintShare`, on a document in
 * focus: blur erases thin lines as well). A well-exposed
 * light or white card is bright and may be clipped where it is blank, but its text and portrait keep
 * their contrast and its security print still shows on the clipped stock: it passes.
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
  if (!bright) return 'ok';
  if (m.darkLevel > t.maxDarkLevel || printContrast < t.minPrintContrast) return 'too_bright';
  // Text and header stay dark well past the gain that wipes out the light print (guilloche lines,
  // a portrait's backdrop): on the tuning frames, light cards at gain 1.34-1.76 kept a 5th percentile
  // of 100-130, as evenly lit white cards do, but showed light print on 0-10% of their clipped blank
  // blocks against 26-64% at gain 1.0-1.14. Blur wipes out thin lines too, so a document below the
  // focus threshold is not judged on them (six blurred white cards at gain 1.0-1.13 read 2-16%).
  const sharp = m.sharpness >= t.minSharpness;
  if (sharp && m.lightPrintShare !== undefined && m.lightPrintShare < t.minLightPrintShare) return 'too_bright';
  return 'ok';
}

export interface LightPrintOptions {
  /** Lowest gray level of a blank block: no text, field, header or portrait in it, only stock and light print. */
  blankLevel: number;
  /** Share of a block's pixels at or above the clipping level for its stock to count as clipped. */
  minClippedShare: number;
  /** Gray-level deviation above which a blank block shows print (a light line over a block is 5 or more; noise on flat clipped stock about 1-2). */
  printDeviation: number;
  /** Fewest clipped blank blocks to judge from; with fewer the share is not measured. */
  minBlocks: number;
}

export const DEFAULT_LIGHT_PRINT_OPTIONS: Readonly<LightPrintOptions> = Object.freeze({
  blankLevel: 200,
  minClippedShare: 0.5,
  printDeviation: 3,
  minBlocks: 24,
});

/**
 * Where a document's stock is clipped, how much of it still shows light print: the share of its blank
 * blocks (no pixel darker than `blankLevel`), mostly clipped, whose gray level still varies beyond
 * noise. An evenly lit white card clips its stock but keeps its guilloche lines and the portrait's
 * backdrop visible; an over-exposed one has pushed them to white with the stock, and its blank blocks
 * are flat, whatever its text still shows. Blocks mostly outside the outline are left out. `undefined`
 * with fewer than `minBlocks` such blocks (little clipped stock: nothing to judge).
 * `image` is the one the grid was measured on: the darkest pixel of each mostly clipped block is read
 * from it here, on the grid's rows, rather than in the measuring pass, which every frame pays for
 * (0.12-0.14 ms of its 0.8 ms in Node) while only a bright document is judged on it.
 */
export function lightPrintShare(grid: BlockGrid, image: GrayImage, options: LightPrintOptions = DEFAULT_LIGHT_PRINT_OPTIONS): number | undefined {
  const { count, sum, sumSquares, clipped } = grid;
  let fullCount = 0;
  for (let b = 0; b < count.length; b++) fullCount = Math.max(fullCount, count[b]!);
  let blank = 0;
  let printed = 0;
  for (let b = 0; b < count.length; b++) {
    const c = count[b]!;
    if (c === 0 || c < fullCount / 2 || clipped[b]! < options.minClippedShare * c || blockHasPixelBelow(image, grid, b, options.blankLevel)) continue;
    blank++;
    const mean = sum[b]! / c;
    if (sumSquares[b]! / c - mean * mean > options.printDeviation ** 2) printed++;
  }
  return blank >= options.minBlocks ? printed / blank : undefined;
}

/** Whether block `b` of the grid holds a pixel darker than `level`, on the rows the grid was measured on (1, 1 + rowStep, ...). */
function blockHasPixelBelow(image: GrayImage, grid: BlockGrid, b: number, level: number): boolean {
  const x0 = Math.max(1, (b % grid.columns) * grid.size);
  const y0 = Math.floor(b / grid.columns) * grid.size;
  const x1 = Math.min(image.width - 1, (b % grid.columns) * grid.size + grid.size);
  const y1 = Math.min(image.height - 1, y0 + grid.size);
  for (let y = Math.max(1, y0 + ((((1 - y0) % grid.rowStep) + grid.rowStep) % grid.rowStep)); y < y1; y += grid.rowStep) {
    for (let x = x0, i = y * image.width + x; x < x1; x++, i++) if (image.data[i]! < level) return true;
  }
  return false;
}
