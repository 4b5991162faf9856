import { inFocus } from './focus.ts';
import type { GrayImage } from './refine-corners.ts';
import type { BlockGrid } from './region-stats.ts';
import type { QualityThresholds } from './thresholds.ts';
import type { FrameMetrics } from './types.ts';

export type ExposureVerdict = 'ok' | 'too_dark' | 'too_bright';

type ExposureMetrics = Pick<FrameMetrics, 'brightness' | 'contrast' | 'clippedFraction' | 'darkLevel' | 'medianLevel' | 'glareFraction' | 'lightPrintShare' | 'printDepthShare'> & Partial<Pick<FrameMetrics, 'sharpness' | 'edgeBlur'>>;

/**
 * Exposure from clipping and from the contrast of the printed content, the mean being one input.
 * Too dark: the mean rule (below `minBrightness`), or no contrast at a lowish level.
 * Too bright: a bright document (mean above `maxBrightness` and clipped outside its glare hotspots
 * over more than `maxClippedFraction`: over-exposure is clipping) whose print has lost its contrast: its darkest print (5th
 * percentile) within `minPrintContrast` of its median, or lifted above `maxDarkLevel` where the light
 * print on the clipped stock could not be read (too few clipped blank blocks); or whose light
 * print is gone where its stock clips (`lightPrintShare` under `minLightPrintShare`, in focus or not:
 * it is read as light taken off the clipped stock, which blur keeps), or, in focus, no longer 16 levels
 * under the clipped stock anywhere much (`printDepthShare` under `minPrintDepthShare`). A well-exposed
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
  if (printContrast < t.minPrintContrast) return 'too_bright';
  // The darkest print lifted over `maxDarkLevel` stands in for lost print only where the light print on
  // the clipped stock was not read: a white card with grey text and a coloured header has no print
  // darker than 141-176 well exposed (15 of the 36 lighting false alarms on the eight pooled quality
  // sets), while its guilloche still shows where its stock clips.
  if (m.lightPrintShare === undefined && m.darkLevel > t.maxDarkLevel) return 'too_bright';
  // Text and header stay dark well past the gain that wipes out the light print (guilloche lines,
  // a portrait's backdrop): on the tuning frames, light cards at gain 1.34-1.76 kept a 5th percentile
  // of 100-130, as evenly lit white cards do, but their light print had gone to the clipped stock.
  // Read as light taken off the clipped stock (`lightPrintShare`), which blur spreads but keeps, it is
  // judged in and out of focus (read as the blocks' deviation, blur erased it too and blurred frames
  // could not be judged on it).
  if (m.lightPrintShare !== undefined && m.lightPrintShare < t.minLightPrintShare) return 'too_bright';
  // A light line still lowers a block's mean when the exposure has pushed it to within a few levels of
  // the clipped stock, where it no longer prints (16 levels: the step at which print differs from its
  // stock). In focus its darkest pixel says how far it was pushed; blur lowers that, so a document the
  // focus check calls blurred (`inFocus`: its print's edges where read, else the Laplacian) is judged on
  // the share above alone. Metrics without a sharpness reading count as in focus.
  const focused = m.sharpness === undefined || inFocus({ sharpness: m.sharpness, edgeBlur: m.edgeBlur }, t);
  if (focused && m.printDepthShare !== undefined && m.printDepthShare < t.minPrintDepthShare) return 'too_bright';
  return 'ok';
}

export interface LightPrintOptions {
  /** Lowest gray level of a blank block: no text, field, header or portrait in it, only stock and light print. */
  blankLevel: number;
  /** Share of a block's pixels at or above the clipping level for its stock to count as clipped. */
  minClippedShare: number;
  /**
   * Mean gray levels a block must lie under the document's clipped stock to show print: a light line
   * 16 levels under the stock (the step at which print shows at all) and one pixel wide, crossing a
   * 16-px block, takes 1 level off its mean. Blur spreads the line but keeps this sum (a blur
   * redistributes light, it does not remove it), so unlike the block's deviation it survives blur.
   */
  printDeficit: number;
  /** Also leave out blocks beside a block with dark print (blur carries a text stroke's tail into its neighbours). */
  blankNeighbours: boolean;
  /** Fewest clipped blank blocks to judge from; with fewer the share is not measured. */
  minBlocks: number;
  /** Gray levels a block's darkest pixel must lie under the clipped stock to count as print surviving (`LightPrint.depthShare`): the step at which print differs from its stock at all. */
  printStep: number;
}

export const DEFAULT_LIGHT_PRINT_OPTIONS: Readonly<LightPrintOptions> = Object.freeze({
  blankLevel: 200,
  minClippedShare: 0.5,
  printDeficit: 1,
  blankNeighbours: true,
  minBlocks: 24,
  printStep: 16,
});

/**
 * Where a document's stock is clipped, how much of it still shows light print: the share of its blank
 * blocks (no pixel darker than `blankLevel`, nor in the blocks around), mostly clipped, whose mean
 * lies at least `printDeficit` under the clipped stock's own level (the mean the brightest tenth of
 * those blocks reach: flat clipped stock, its noise included; a sensor clips at 255 exactly, the
 * generator's noise after clipping leaves it at about 254). An evenly lit white card clips its
 * stock but keeps its guilloche lines and the portrait's backdrop under it; an over-exposed one has
 * pushed them to the clipping level with the stock, and its blank blocks sit at the stock's level,
 * whatever its text still shows and however blurred it is. Blocks mostly outside the outline are left
 * out. `undefined` with fewer than `minBlocks` such blocks (little clipped stock: nothing to judge).
 * `image` is the one the grid was measured on: without `blankNeighbours` the darkest pixel of each
 * mostly clipped block is read from it (on the grid's rows; the grid's own minimum is read over the
 * outline's span only).
 */
export function lightPrintShare(grid: BlockGrid, image: GrayImage, options: LightPrintOptions = DEFAULT_LIGHT_PRINT_OPTIONS): number | undefined {
  return lightPrint(grid, image, options)?.share;
}

/** What a bright document's clipped blank blocks still show of their light print (see `lightPrintShare`, `LightPrint.depthShare`). */
export interface LightPrint {
  /** Share of the blocks whose mean lies `printDeficit` under the clipped stock: light print, blurred or not. */
  share: number;
  /**
   * Share of the blocks whose darkest pixel (on the rows read) lies at least `printStep` under the
   * clipped stock: print that still differs from its stock by the step that makes it print. A line
   * the exposure pushed to within 16 levels of the clipped stock is lost even where it still lowers
   * a block's mean; in focus, the darkest pixel says how far it was pushed (blur lowers it, so only
   * a document in focus is judged on it: see `judgeExposure`).
   */
  depthShare: number;
}

/** `lightPrintShare` and the depth of the print left, from one selection of the clipped blank blocks. */
export function lightPrint(grid: BlockGrid, image: GrayImage, options: LightPrintOptions = DEFAULT_LIGHT_PRINT_OPTIONS): LightPrint | undefined {
  const { count, sum, clipped, min, columns, rows } = grid;
  let fullCount = 0;
  for (let b = 0; b < count.length; b++) fullCount = Math.max(fullCount, count[b]!);
  const means: number[] = [];
  const darkest: number[] = [];
  for (let b = 0; b < count.length; b++) {
    const c = count[b]!;
    if (c === 0 || c < fullCount / 2 || clipped[b]! < options.minClippedShare * c) continue;
    if (options.blankNeighbours ? darkAround(min, columns, rows, b, options.blankLevel) : blockHasPixelBelow(image, grid, b, options.blankLevel)) continue;
    means.push(sum[b]! / c);
    darkest.push(min[b]!);
  }
  if (means.length < options.minBlocks) return undefined;
  const sorted = [...means].sort((a, b) => b - a);
  const stock = sorted[Math.floor(sorted.length / 10)]!;
  let printed = 0;
  let deep = 0;
  for (let i = 0; i < means.length; i++) {
    if (means[i]! <= stock - options.printDeficit) printed++;
    if (darkest[i]! <= stock - options.printStep) deep++;
  }
  return { share: printed / means.length, depthShare: deep / means.length };
}

/** Whether block `b` or one of its 8 neighbours (with pixels measured) holds a pixel darker than `level`. */
function darkAround(min: Uint8Array, columns: number, rows: number, b: number, level: number): boolean {
  const bx = b % columns;
  const by = Math.floor(b / columns);
  for (let y = Math.max(0, by - 1); y <= Math.min(rows - 1, by + 1); y++) {
    for (let x = Math.max(0, bx - 1); x <= Math.min(columns - 1, bx + 1); x++) if (min[y * columns + x]! < level) return true;
  }
  return false;
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
