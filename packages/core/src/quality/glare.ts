import type { BlockGrid } from './region-stats.ts';
import type { GrayImage } from './refine-corners.ts';

export interface HotspotOptions {
  /** Share of a block's pixels at or above the clipping level for it to count as saturated. */
  minClippedShare: number;
  /** Largest gray-level deviation in a saturated block whose texture is lost (paper grain and noise only). */
  maxWashedDeviation: number;
  /** How far (gray levels) a hotspot's mean must rise above the document's stock level (the median of the blocks' brightest pixels): brighter than its surroundings. */
  minRise: number;
  /** RMS Laplacian of a neighbouring block that shows printed content (text, lines) next to the hotspot; the hotspot's own smooth rim has next to none. */
  contentLaplacian: number;
  /** Weight of a hotspot block with no printed content around it (over blank stock, less is lost). */
  blankWeight: number;
  /**
   * A specular hotspot fades out: its pixels above halfway between the stock and clipping outnumber its
   * clipped ones by at least this much (a highlight's halo). A printed light area (a photo's backdrop,
   * the MRZ zone) clipped by a high exposure ends at a printed edge. Needs the image.
   */
  minHaloRatio: number;
}

export const DEFAULT_HOTSPOT_OPTIONS: Readonly<HotspotOptions> = Object.freeze({
  minClippedShare: 0.5,
  maxWashedDeviation: 8,
  minRise: 12,
  contentLaplacian: 12,
  blankWeight: 0.5,
  minHaloRatio: 1.3,
});

/**
 * Specular glare as a fraction of the document: saturated pixels of hotspots, which are regions of
 * blocks that are saturated, have lost their texture (text and print contrast gone: only noise left)
 * and are brighter than the document's stock. A uniformly light or white card has no such blocks: its
 * stock is as bright as they are, print or no print. Connected
 * blocks form one hotspot; it counts fully when printed content (a textured block) borders it, since
 * it then likely covers text or the portrait, and at `blankWeight` when only blank stock surrounds it.
 * Blocks cut by the document's outline count in proportion to the pixels they hold. With `image`
 * (the one the grid was measured on), a region must also fade out like a highlight (`minHaloRatio`).
 */
export function hotspotFraction(grid: BlockGrid, options: HotspotOptions = DEFAULT_HOTSPOT_OPTIONS, image?: GrayImage): number {
  const { count, sum, sumSquares, clipped, laplacianSquares, columns, rows } = grid;
  const n = count.length;
  let fullCount = 0;
  for (let b = 0; b < n; b++) fullCount = Math.max(fullCount, count[b]!);
  if (fullCount === 0) return 0;
  const mean = new Float64Array(n);
  const deviation = new Float64Array(n);
  const levels: number[] = [];
  let total = 0;
  for (let b = 0; b < n; b++) {
    const c = count[b]!;
    total += c;
    if (c === 0) continue;
    mean[b] = sum[b]! / c;
    deviation[b] = Math.sqrt(Math.max(0, sumSquares[b]! / c - mean[b]! * mean[b]!));
    // Blocks mostly outside the outline say little about the document's stock level.
    if (c >= fullCount / 2) levels.push(grid.max[b]!);
  }
  // The stock's level: most blocks hold some blank stock between the print, and their brightest pixel
  // is it. Guilloche, text and fields lower a block's mean, not its maximum.
  levels.sort((a, b) => a - b);
  const stock = levels[Math.floor(levels.length / 2)] ?? 0;
  const washed = (b: number): boolean => count[b]! > 0 && clipped[b]! >= options.minClippedShare * count[b]! && deviation[b]! <= options.maxWashedDeviation && mean[b]! >= stock + options.minRise;
  // Hotspots are connected regions of such blocks; a region whose rim shows printed content covers content.
  const region = new Int32Array(n).fill(-1);
  let documentExtent: BlockExtent | undefined; // only needed once a hotspot is found
  let weighted = 0;
  for (let seed = 0; seed < n; seed++) {
    if (region[seed] !== -1 || !washed(seed)) continue;
    const members = [seed];
    region[seed] = seed;
    let content = false;
    // The hotspot's saturated pixels: all of its blocks' and those of the blocks around it (its edge
    // cuts through them), each block counted once.
    let pixels = 0;
    const rim = new Set<number>();
    for (let m = 0; m < members.length; m++) {
      const b = members[m]!;
      pixels += clipped[b]!;
      for (const k of neighbours(b, columns, rows)) {
        if (washed(k)) {
          if (region[k] === -1) {
            region[k] = seed;
            members.push(k);
          }
        } else {
          rim.add(k);
          if (count[k]! >= fullCount / 2 && laplacianSquares[k]! >= count[k]! * options.contentLaplacian ** 2) content = true;
        }
      }
    }
    for (const k of rim) pixels += clipped[k]!;
    documentExtent ??= blockExtent(documentBlocks(count), columns);
    // A light printed band (the MRZ zone) clipped by the exposure is cut into pieces by its own text:
    // the band test reads the saturated blocks connected to the region, textured or not.
    if (isBand(saturatedAround(members, grid, options.minClippedShare), columns, documentExtent)) continue;
    if (image && halo(image, grid, [...members, ...rim], (stock + grid.clipLevel) / 2) < options.minHaloRatio * pixels) continue;
    weighted += pixels * (content ? 1 : options.blankWeight);
  }
  return total > 0 ? weighted / total : 0;
}

interface BlockExtent {
  width: number;
  height: number;
}

/** Width and height, in blocks, of the box around the given blocks of a grid `columns` wide. */
function blockExtent(blocks: Iterable<number>, columns: number): BlockExtent {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of blocks) {
    const x = b % columns;
    const y = Math.floor(b / columns);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The blocks holding any of the document's pixels. */
function* documentBlocks(count: Uint32Array): Generator<number> {
  for (let b = 0; b < count.length; b++) if (count[b] !== 0) yield b;
}

/**
 * A region spanning most of the document's width (or height) while a quarter as thick: a printed
 * light band (the MRZ zone's white background on a tinted card, clipped with the stock's highlights),
 * not a hotspot, which is a blob. Read on the saturated blocks around a hotspot (`saturatedAround`):
 * the MRZ text splits the band's washed-out blocks into pieces (its blank right end alone read as 5-6%
 * glare on four tuning frames).
 */
function isBand(members: readonly number[], columns: number, document: BlockExtent): boolean {
  const { width: w, height: h } = blockExtent(members, columns);
  return (w >= 0.6 * document.width && h <= 0.25 * w) || (h >= 0.6 * document.height && w <= 0.25 * h);
}

/**
 * The blocks connected (8-neighbours) to `members` that are saturated (at least `minShare` of their
 * pixels clipped), whatever their texture: a clipped band with text on it, as one region.
 */
function saturatedAround(members: readonly number[], grid: BlockGrid, minShare: number): number[] {
  const { count, clipped, columns, rows } = grid;
  const seen = new Uint8Array(count.length);
  const out = [...members];
  for (const b of members) seen[b] = 1;
  for (let m = 0; m < out.length; m++) {
    for (const k of neighbours(out[m]!, columns, rows)) {
      if (seen[k] || count[k] === 0 || clipped[k]! < minShare * count[k]!) continue;
      seen[k] = 1;
      out.push(k);
    }
  }
  return out;
}

/** The up to 8 blocks touching block `b` (row-major on a `columns` × `rows` grid), in row order. */
function* neighbours(b: number, columns: number, rows: number): Generator<number> {
  const bx = b % columns;
  const by = Math.floor(b / columns);
  for (let y = Math.max(0, by - 1); y <= Math.min(rows - 1, by + 1); y++) {
    for (let x = Math.max(0, bx - 1); x <= Math.min(columns - 1, bx + 1); x++) {
      if (x !== bx || y !== by) yield y * columns + x;
    }
  }
}

/** Pixels at or above `level` in the given blocks of the image, on the rows the grid was measured on. */
function halo(image: GrayImage, grid: BlockGrid, blocks: readonly number[], level: number): number {
  let n = 0;
  for (const b of blocks) {
    const x0 = (b % grid.columns) * grid.size;
    const y0 = Math.floor(b / grid.columns) * grid.size;
    const x1 = Math.min(image.width - 1, x0 + grid.size);
    const y1 = Math.min(image.height - 1, y0 + grid.size);
    // The rows the measuring pass read: 1, 1 + rowStep, ...
    for (let y = Math.max(1, y0 + ((((1 - y0) % grid.rowStep) + grid.rowStep) % grid.rowStep)); y < y1; y += grid.rowStep) {
      for (let x = Math.max(1, x0), i = y * image.width + x; x < x1; x++, i++) if (image.data[i]! >= level) n++;
    }
  }
  return n;
}
